@admission
Feature: Admission and the three full-queue policies
  Each pool owns one bounded FIFO per priority class. When a task arrives
  and its class or the whole pool is full, the configured policy decides,
  and the caller gets a typed outcome.

  Background:
    Given the priority classes:
      | class       | rank | weight | capacity |
      | interactive | 3    | 3      | 2        |
      | batch       | 2    | 2      | 2        |
      | background  | 1    | 1      | 2        |

  @OC-CORE-1001
  Scenario: Classes, ranks and capacities come from configuration
    Given a pool with capacity 6 and policy reject
    When batch tasks b1, b2 arrive
    And interactive task i1 arrives
    Then tasks b1, b2, i1 are admitted
    And the batch queue holds b1, b2
    And the interactive queue holds i1
    And the background queue holds nothing

  @OC-CORE-1001
  Scenario: A pool built from a configuration document
    Given the configuration:
      """yaml
      version: 1
      priority_classes:
        - {name: gold, rank: 2, weight: 3, capacity: 1}
        - {name: bronze, rank: 1, weight: 1, capacity: 3}
      pools:
        - {id: p1, model_id: llama-8b, capacity: 3, fairness_policy: strict}
      """
    When bronze tasks b1, b2 arrive
    And gold tasks g1, g2 arrive
    And bronze task b3 arrives
    Then tasks b1, b2, g1 are admitted
    And task g2 is refused with QUEUE_FULL
    And task b3 is refused with QUEUE_FULL
    When the dispatcher takes 3 tasks
    Then the dispatch order is g1, b1, b2

  @OC-CORE-1001
  Scenario: Without configured classes a pool has the default three
    Given the configuration:
      """yaml
      version: 1
      pools:
        - {id: p1, model_id: llama-8b}
      """
    Then the pool's classes, highest rank first, are interactive, batch, background

  @OC-CORE-1001 @mutant-target
  Scenario: The pool capacity bounds the total across classes
    Given a pool with capacity 3 and policy reject
    When batch tasks b1, b2 arrive
    And background task g1 arrives
    And interactive task i1 arrives
    Then task i1 is refused with QUEUE_FULL
    And the pool holds 3 queued tasks

  @OC-CORE-1002
  Scenario Outline: A full class under each policy
    Given a pool with capacity 6 and policy <policy>
    When batch tasks b1, b2 arrive
    And batch task b3 arrives
    Then task b3 is <newcomer>
    And the batch queue holds <queue>

    Examples:
      | policy            | newcomer                 | queue  |
      | reject            | refused with QUEUE_FULL  | b1, b2 |
      | drop-lru          | admitted                 | b2, b3 |
      | shed-low-priority | refused with QUEUE_FULL  | b1, b2 |

  @OC-CORE-1002 @mutant-target
  Scenario: drop-lru evicts the oldest task of the newcomer's own class
    Given a pool with capacity 6 and policy drop-lru
    When batch tasks b1, b2 arrive
    And batch task b3 arrives
    Then task b3 is admitted
    And the admission of b3 evicts b1
    And task b1 ends DROPPED with reason QUEUE_FULL_DROP_LRU

  @OC-CORE-1002
  Scenario: drop-lru evicts the oldest task of the lowest-ranked class when the pool is full
    Given a pool with capacity 4 and policy drop-lru
    When background tasks g1, g2 arrive
    And batch tasks b1, b2 arrive
    And interactive task i1 arrives
    Then task i1 is admitted
    And the admission of i1 evicts g1
    And task g1 ends DROPPED with reason QUEUE_FULL_DROP_LRU
    And the background queue holds g2

  @OC-CORE-1002
  Scenario: reject leaves the queue unchanged
    Given a pool with capacity 3 and policy reject
    When background tasks g1, g2 arrive
    And batch task b1 arrives
    And interactive task i1 arrives
    Then task i1 is refused with QUEUE_FULL
    And task i1 ends REJECTED with reason QUEUE_FULL
    And the background queue holds g1, g2
    And the batch queue holds b1

  @OC-CORE-1002
  Scenario: shed-low-priority sheds the oldest task strictly below the newcomer
    Given a pool with capacity 3 and policy shed-low-priority
    When background task g1 arrives
    And batch tasks b1, b2 arrive
    And interactive task i1 arrives
    Then task i1 is admitted
    And the admission of i1 evicts g1
    And task g1 ends DROPPED with reason SHED_LOW_PRIORITY

  @OC-CORE-1002
  Scenario: shed-low-priority never evicts a task of equal or higher rank
    Given a pool with capacity 3 and policy shed-low-priority
    When interactive task i1 arrives
    And batch tasks b1, b2 arrive
    And background task g1 arrives
    Then task g1 is refused with QUEUE_FULL
    And the batch queue holds b1, b2
    And the interactive queue holds i1
