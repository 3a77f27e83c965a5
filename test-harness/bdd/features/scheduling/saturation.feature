@scheduling @saturation
Feature: Saturation gating
  A replica may report its engine's queue depth, KV-cache use and the age
  of that sample. A replica above a configured threshold, or whose sample
  is older than the configured maximum age (or missing then), is not a
  candidate (reason SATURATED); an impossible sample (KV use above 1000
  per mille, a negative queue depth) counts as saturated. When every
  replica that could take the job is saturated, the head waits.

  Background:
    Given replicas above a queue depth of 4, a KV use of 800 per mille or a sample age of 1000 ms are saturated

  @OC-CORE-1056 @mutant-target
  Scenario: The least-loaded replica is skipped when it is saturated
    Given replicas:
      | replica | free_vram_mb | queue_depth | kv_permille | sample_age_ms |
      | r1      | 9000         | 9           | 100         | 50            |
      | r2      | 8000         | 1           | 950         | 50            |
      | r3      | 7000         | 0           | 100         | 5000          |
      | r4      | 1000         | 1           | 100         | 50            |
    When a job is placed
    Then it goes to replica r4
    And the decision filtered 3 by SATURATED

  @OC-CORE-1056 @mutant-target
  Scenario: When every feasible replica is saturated the head waits
    Given replicas:
      | replica | queue_depth | kv_permille | sample_age_ms |
      | r1      | 5           | 100         | 50            |
      | r2      | 0           | 801         | 50            |
    When a job is placed
    Then nothing is placed, with reason SATURATED

  @OC-CORE-1056
  Scenario Outline: A sample that cannot be true, or none under a maximum age, counts as saturated
    Given replicas:
      | replica | free_vram_mb | queue_depth | kv_permille | sample_age_ms |
      | r1      | 9000         | <depth>     | <kv>        | <age>         |
      | r2      | 1000         | 0           | 100         | 50            |
    When a job is placed
    Then it goes to replica r2

    Examples:
      | depth | kv   | age  |
      | 0     | 1001 | 50   |
      | -1    | 100  | 50   |
      | 0     | 100  | none |
