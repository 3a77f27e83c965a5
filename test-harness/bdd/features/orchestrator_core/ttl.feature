@ttl
Feature: Queue TTL: a task that waited too long is never dispatched
  A class may set a queue-wait TTL and a task may carry its own; the
  smaller wins. A queued task, or one waiting for a retry, whose deadline
  has passed ends EXPIRED at the first dispatch attempt or watchdog tick
  at or after its deadline, with the TTL that fired. A retry's deadline
  runs from its failure.

  Background:
    Given a pool with capacity 100 and policy reject
    And the batch class has a queue TTL of 1000 ms

  @OC-CORE-1050 @mutant-target
  Scenario: A task past its class TTL expires and is never dispatched
    When batch task t1 arrives
    And the clock advances 999 ms
    Then task t1 is queued
    When the clock advances 1 ms
    And the dispatcher takes 1 task
    Then nothing is dispatched
    And task t1 ends EXPIRED with reason CLASS_TTL
    And task t1 expired after waiting 1000 ms with a TTL of 1000 ms

  @OC-CORE-1050
  Scenario Outline: The smaller of the class and the task TTL wins
    When batch task t1 with a TTL of <own> ms arrives
    And the clock advances <wait> ms
    Then task t1 ends EXPIRED with reason <reason>
    And task t1 expired after waiting <wait> ms with a TTL of <ttl> ms

    Examples:
      | own  | wait | reason    | ttl  |
      | 200  | 200  | TASK_TTL  | 200  |
      | 5000 | 1000 | CLASS_TTL | 1000 |
      | 999  | 999  | TASK_TTL  | 999  |

  @OC-CORE-1050
  Scenario: A task dispatched in time is not expired, and others still wait
    When batch tasks t1, t2 arrive
    And the clock advances 500 ms
    And the dispatcher takes 1 task
    And the clock advances 500 ms
    Then the dispatch order is t1
    And task t2 ends EXPIRED with reason CLASS_TTL
    And job t1 is still running

  @OC-CORE-1050
  Scenario: A class without a TTL keeps its tasks
    When interactive task t1 arrives
    And the clock advances 100000 ms
    Then task t1 is queued

  @OC-CORE-1050
  Scenario: A retry's deadline runs from its failure
    Given a backoff with base 4000 ms, cap 4000 ms, at most 1 retries and seed 1
    When batch task t1 arrives
    And the dispatcher takes 1 task
    And the clock advances 800 ms
    And job t1 fails
    And the clock advances 999 ms
    Then task t1 is waiting for a retry
    When the clock advances 1 ms
    Then task t1 ends EXPIRED with reason CLASS_TTL
    And task t1 expired after waiting 1000 ms with a TTL of 1000 ms
