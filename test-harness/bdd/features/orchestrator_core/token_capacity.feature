@admission @tokens
Feature: Capacity in tokens, and evictions of several tasks
  A class and the pool may bound the queued token cost (prompt tokens plus
  max new tokens) besides the task count. Full means either bound would be
  exceeded; the admission policy decides as for counts, and drop-lru and
  shed-low-priority evict as many tasks as the newcomer needs, oldest
  first, returning every evicted id, or refuse the newcomer. A refused
  admission changes nothing, and a newcomer larger than a bound is refused
  outright.

  Background:
    Given the priority classes:
      | class       | rank | weight | capacity |
      | interactive | 3    | 3      | 10       |
      | batch       | 2    | 2      | 10       |
      | background  | 1    | 1      | 10       |

  @OC-CORE-1051 @mutant-target
  Scenario Outline: A pool full of tokens under each policy
    Given a pool with capacity 0 and policy <policy>
    And the pool has a token capacity of 1000
    When background tasks g1, g2 with 200 prompt tokens and 100 max new tokens arrive
    And batch task b1 with 300 prompt tokens and 0 max new tokens arrive
    And <class> task n1 with 500 prompt tokens and 100 max new tokens arrives
    Then <outcome>
    And the background queue holds <background>

    Examples:
      | policy            | class       | outcome                             | background |
      | reject            | interactive | task n1 is refused with QUEUE_FULL  | g1, g2     |
      | drop-lru          | interactive | the admission of n1 evicts g1, g2   | nothing    |
      | shed-low-priority | interactive | the admission of n1 evicts g1, g2   | nothing    |
      | shed-low-priority | background  | task n1 is refused with QUEUE_FULL  | g1, g2     |
      | drop-lru          | background  | the admission of n1 evicts g1, g2   | n1         |

  @OC-CORE-1051
  Scenario: Shed-low-priority refuses when even every lower task would not make room, and changes nothing
    Given a pool with capacity 0 and policy shed-low-priority
    And the pool has a token capacity of 1000
    When interactive task i1 with 700 prompt tokens and 0 max new tokens arrives
    And background task g1 with 100 prompt tokens and 0 max new tokens arrives
    And batch task b1 with 400 prompt tokens and 0 max new tokens arrives
    Then task b1 is refused with QUEUE_FULL
    And the background queue holds g1
    And the interactive queue holds i1

  @OC-CORE-1051
  Scenario: A class over its own token capacity evicts from itself under drop-lru
    Given a pool with capacity 0 and policy drop-lru
    And the batch class has a token capacity of 500
    When batch tasks b1, b2, b3 with 150 prompt tokens and 0 max new tokens arrive
    And background task g1 with 100 prompt tokens and 0 max new tokens arrives
    And batch task b4 with 400 prompt tokens and 0 max new tokens arrives
    Then the admission of b4 evicts b1, b2, b3
    And tasks b1, b2, b3 end DROPPED with reason QUEUE_FULL_DROP_LRU
    And the batch queue holds b4
    And the background queue holds g1

  @OC-CORE-1051
  Scenario: A newcomer larger than a token capacity is refused outright
    Given a pool with capacity 0 and policy drop-lru
    And the batch class has a token capacity of 500
    When batch task b1 with 100 prompt tokens and 0 max new tokens arrives
    And batch task big with 400 prompt tokens and 101 max new tokens arrives
    Then task big is refused with TOKENS_EXCEED_CAPACITY
    And the batch queue holds b1
