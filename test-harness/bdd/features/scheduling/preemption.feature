@scheduling @preemption
Feature: Bounded preemption
  When the head of a class cannot be placed only because the replicas that
  could take it are full or saturated, the pool may abort one in-flight job
  of a class ranked strictly below it: the lowest-ranked class first, its
  most recently dispatched job, equal times broken by the larger job id.
  Never a job of equal or higher rank, and at most a configured number per
  sliding window of pool time. The aborted job's task goes back to the head
  of its class with its seed and attempt count kept, or ends FAILED with
  reason PREEMPTED when its attempts are spent.

  Background:
    Given a pool with capacity 10 and policy reject
    And a backoff with base 0 ms, cap 0 ms, at most 2 retries and seed 1
    And preemption allows at most 2 preemptions per 1000 ms
    And replicas:
      | replica | slots |
      | r1      | 2     |

  @OC-CORE-1057 @mutant-target
  Scenario: Preemption never touches a job of equal or higher rank
    When interactive task i1 arrives
    And batch task b1 arrives
    And the dispatcher takes 2 tasks
    And replica r1 is full
    And batch task b2 arrives
    And the dispatcher takes 1 task
    Then nothing is preempted
    And job i1 is still running
    And job b1 is still running
    And the batch queue holds b2

  @OC-CORE-1057 @mutant-target
  Scenario: The newest job of the lowest rank below comes back first, attempt 2, same seed
    Given replicas:
      | replica | slots |
      | r2      | 1     |
    When background task g0 with seed 5 arrives
    And the dispatcher takes 1 task
    And the clock advances 10 ms
    And background task g1 with seed 11 arrives
    And batch task b1 arrives
    And the dispatcher takes 2 tasks
    And background task g2 arrives
    And replica r1 is full
    And replica r2 is full
    And interactive task i1 arrives
    And the dispatcher takes 1 task
    Then job g1 was preempted for i1
    And task g1 is queued
    And the background queue holds g1, g2
    And job g0 is still running
    And job b1 is still running
    When task i1 is canceled
    And replica r1 has a free slot
    And the dispatcher takes 1 task
    Then job g1 runs as attempt 2 with seed 11
    And the background queue holds g2

  @OC-CORE-1057
  Scenario: At most the configured number of preemptions per window
    Given replicas:
      | replica | slots |
      | r2      | 1     |
    When background tasks g1, g2, g3 arrive
    And the dispatcher takes 3 tasks
    And replica r1 is full
    And replica r2 is full
    And interactive task i1 arrives
    And the dispatcher takes 1 task
    And the dispatcher takes 1 task
    And the dispatcher takes 1 task
    Then 2 jobs were preempted
    When the clock advances 999 ms
    And the dispatcher takes 1 task
    Then 2 jobs were preempted
    When the clock advances 1 ms
    And the dispatcher takes 1 task
    Then 3 jobs were preempted
    And the background queue holds g1, g2, g3

  @OC-CORE-1057
  Scenario: A preempted job whose attempts are spent ends FAILED
    Given a backoff with base 0 ms, cap 0 ms, at most 0 retries and seed 1
    When background task g1 arrives
    And the dispatcher takes 1 task
    And replica r1 is full
    And interactive task i1 arrives
    And the dispatcher takes 1 task
    Then job g1 was preempted for i1
    And task g1 ends FAILED with reason PREEMPTED
    And task g1 has exactly one terminal state
