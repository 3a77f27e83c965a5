@scheduling
Feature: Session affinity and kv_warmth
  A session returns to the replica that last served it well, where its KV
  cache is warm, while that replica stays feasible. When it has to move,
  the decision says the cache is cold.

  @OC-CORE-1013
  Scenario: A session stays on its last good replica while it is feasible
    Given replicas:
      | replica | free_vram_mb |
      | r1      | 4000         |
      | r2      | 3000         |
    When a job of session s1 is placed and completes
    Then it goes to replica r1 with kv_warmth false
    When replica r2 now has 9000 MB free
    And a job of session s1 is placed
    Then it goes to replica r1 with kv_warmth true

  @OC-CORE-1013
  Scenario: When the session moves, the move is reported cold
    Given replicas:
      | replica | free_vram_mb |
      | r1      | 4000         |
      | r2      | 3000         |
    When a job of session s1 is placed and completes
    Then it goes to replica r1
    When replica r1 turns not Ready
    And a job of session s1 is placed
    Then it goes to replica r2 with kv_warmth false
