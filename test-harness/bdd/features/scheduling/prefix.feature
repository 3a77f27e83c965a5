@scheduling @prefix
Feature: Prefix-cache-aware placement
  A task carries the chained hashes of its prompt's token blocks. Among the
  replicas that could take it, the core prefers the one holding the longest
  prefix of those blocks, weighed against its load by integer weights; an
  imbalance guard sends the job to the least-loaded replica when the
  preferred one is busier by more than an absolute and a relative
  threshold. The core learns the blocks of what it places; what an engine
  reports holding replaces what the core learned.

  Background:
    Given prefix placement with 10 per matched block, 1 per active slot and a guard of 2 slots and 1500 per mille

  @OC-CORE-1055 @mutant-target
  Scenario: The replica holding the longest prefix wins over the freer ones
    Given replicas:
      | replica | free_vram_mb |
      | r1      | 9000         |
      | r2      | 1000         |
      | r3      | 5000         |
    And replica r2 reports caching blocks sys,u1
    And replica r3 reports caching blocks sys
    When a job with blocks sys,u1,u2 is placed
    Then it goes to replica r2 with 2 matched blocks

  @OC-CORE-1055 @mutant-target
  Scenario Outline: The imbalance guard needs both thresholds exceeded
    Given replicas:
      | replica | free_vram_mb | slots | active_slots |
      | r1      | 1000         | 16    | <cached>     |
      | r2      | 9000         | 16    | <idle>       |
    And replica r1 reports caching blocks sys,u1
    When a job with blocks sys,u1 is placed
    Then it goes to replica <replica> with <matched> matched blocks<guarded>

    Examples:
      | cached | idle | replica | matched | guarded   |
      | 2      | 0    | r1      | 2       |           |
      | 3      | 0    | r2      | 0       | , guarded |
      | 5      | 3    | r1      | 2       |           |
      | 6      | 3    | r2      | 0       | , guarded |
      | 9      | 6    | r1      | 2       |           |

  @OC-CORE-1055
  Scenario: The core learns the blocks of what it places
    Given replicas:
      | replica | free_vram_mb |
      | r1      | 9000         |
      | r2      | 5000         |
    When a job with blocks sys,u1 is placed
    Then it goes to replica r1 with 0 matched blocks
    When replica r1 now has 1000 MB free
    And a job with blocks sys,u1,u2 is placed
    Then it goes to replica r1 with 2 matched blocks

  @OC-CORE-1055 @mutant-target
  Scenario: Learned blocks beyond the bound are evicted, least recently used first
    Given prefix placement remembers 2 blocks per replica
    And replicas:
      | replica | free_vram_mb | slots |
      | r1      | 9000         | 16    |
      | r2      | 5000         | 16    |
    When a job with blocks a1,a2 is placed
    And a job with blocks b1,b2 is placed
    Then it goes to replica r1 with 0 matched blocks
    When replica r1 now has 1000 MB free
    And a job with blocks a1,a2 is placed
    Then it goes to replica r2 with 0 matched blocks

  @OC-CORE-1055
  Scenario: What an engine reports replaces what the core learned
    Given replicas:
      | replica | free_vram_mb |
      | r1      | 9000         |
      | r2      | 5000         |
    When a job with blocks sys,u1 is placed
    And replica r1 now has 1000 MB free
    And replica r1 reports caching blocks other
    And a job with blocks sys,u1 is placed
    Then it goes to replica r2 with 0 matched blocks

  @OC-CORE-1055 @OC-CORE-1013
  Scenario: A session stays on its last good replica even where another holds more
    Given replicas:
      | replica | free_vram_mb |
      | r1      | 9000         |
      | r2      | 5000         |
    When a job of session s1 with blocks sys is placed and completes
    And replica r2 reports caching blocks sys,u1
    And a job of session s1 with blocks sys,u1 is placed
    Then it goes to replica r1 with 1 matched block

  @OC-CORE-1055
  Scenario Outline: Block lists that cannot be a chain are refused at admission
    When a job with blocks <blocks> is refused at admission with INVALID_PARAMS

    Examples:
      | blocks    |
      | a,b,a     |
      | a,a       |

  @OC-CORE-1055 @OC-CORE-1013 @mutant-target
  Scenario: A session's replica busier than the guard allows is left for the least-loaded one
    Given replicas:
      | replica | free_vram_mb | slots |
      | r1      | 9000         | 16    |
      | r2      | 5000         | 16    |
    When a job of session s1 with blocks sys is placed and completes
    And replica r1 now has 3 active slots
    And a job of session s1 with blocks sys,u1 is placed
    Then it goes to replica r2 with 0 matched blocks, guarded
