@backoff
Feature: Bounded exponential backoff for re-dispatch
  A job whose replica failed is dispatched again after a capped,
  exponentially growing delay with jitter from a seeded source. Attempts
  are capped; the last failure ends the task FAILED with its cause.

  @OC-CORE-1025 @mutant-target
  Scenario: Every delay stays under the cap and the attempts are capped
    Given a backoff with base 100 ms, cap 1000 ms, at most 6 attempts and seed 7
    When a job fails on every attempt
    Then there are 5 retry delays
    And every retry delay is at most 1000 ms
    And the retries stop after attempt 6

  @OC-CORE-1025
  Scenario: The same seed gives the same delays
    Given a backoff with base 100 ms, cap 1000 ms, at most 6 attempts and seed 7
    Then the retry delays for seed 7 are the same on two runs
    And the retry delays for seeds 7 and 8 differ

  @OC-CORE-1025
  Scenario: The last failure ends the task FAILED with its cause
    Given a pool with capacity 10 and policy reject
    And the pool retries at most 3 attempts with base 100 ms and cap 1000 ms
    When batch task t1 arrives
    And job t1 fails 3 times with cause REPLICA_LOST
    Then task t1 ends FAILED with reason REPLICA_LOST
    And task t1 was retried 2 times, each after at most 1000 ms
