@scheduling
Feature: Pin override and its errors
  A task that names a pool is placed in that pool only, or refused with a
  typed error. There is never a silent fallback to automatic placement.

  Background:
    Given pool p1 with device mask 0
    And pool p2 with device mask 1
    And replicas:
      | replica | pool | devices | ready | free_vram_mb |
      | r1      | p1   | 0       | yes   | 1000         |
      | r2      | p2   | 1       | yes   | 9000         |

  @OC-CORE-1018 @mutant-target
  Scenario: A pinned task goes to its pool even when another pool has more room
    Given pinning is allowed
    When a job pinned to pool p1 is placed
    Then it goes to replica r1

  @OC-CORE-1018 @OC-CORE-1011 @mutant-target
  Scenario: Without a pin the task stays in its own pool, even when another pool has more room
    When a job is placed
    Then it goes to replica r1

  @OC-CORE-1018
  Scenario: Another pool is reached only by a pin
    Given pinning is allowed
    When a job pinned to pool p2 is placed
    Then it goes to replica r2

  @OC-CORE-1019 @mutant-target
  Scenario Outline: A pin that cannot be honored is refused, never redirected
    Given pinning is <pinning>
    And replica r1 turns <r1>
    When a job pinned to pool <pool> is placed
    Then the placement is refused with <code>

    Examples:
      | pinning    | pool | r1        | code           |
      | allowed    | p9   | Ready     | INVALID_PARAMS |
      | disallowed | p1   | Ready     | INVALID_PARAMS |
      | allowed    | p1   | not Ready | POOL_UNREADY   |
