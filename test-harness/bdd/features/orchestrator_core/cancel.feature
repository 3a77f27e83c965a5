@cancel
Feature: Cancel, and cancel racing dispatch
  A canceled queued task is never dispatched. Cancel is idempotent, and
  cancel of an unknown id is a typed "not found". A task ends in exactly
  one terminal state.

  Background:
    Given a pool with capacity 100 and policy reject

  @OC-CORE-1005 @mutant-target
  Scenario: A canceled queued task is never dispatched
    When batch tasks t1, t2, t3 arrive
    And task t2 is canceled
    And the dispatcher takes 3 tasks
    Then the dispatch order is t1, t3
    And the cancel of t2 removed it from the queue
    And task t2 ends CANCELED

  @OC-CORE-1005
  Scenario: Cancel is idempotent
    When batch task t1 arrives
    And task t1 is canceled
    And task t1 is canceled again
    Then the first cancel of t1 removed it from the queue
    And the last cancel of t1 found it already ended
    And task t1 has exactly one terminal state

  @OC-CORE-1005
  Scenario: Cancel of an unknown task is a typed not-found
    When task ghost is canceled
    Then the cancel of ghost fails with NOT_FOUND

  @OC-CORE-1008
  Scenario: Cancel after dispatch aborts the job
    When batch task t1 arrives
    And the dispatcher takes 1 task
    And task t1 is canceled
    Then the cancel of t1 aborted the job
    And task t1 ends CANCELED
    And the history of t1 is admitted, dispatched, canceled

  @OC-CORE-1008
  Scenario: Cancel after completion changes nothing
    When batch task t1 arrives
    And the dispatcher takes 1 task
    And job t1 completes
    And task t1 is canceled
    Then the cancel of t1 found it already ended
    And task t1 ends COMPLETED
    And task t1 has exactly one terminal state

  @OC-CORE-1008
  Scenario: Cancel racing dispatch yields exactly one of two histories
    When 100 batch tasks arrive
    And 4 cancellers cancel every task while 4 dispatchers drain the pool, rerun up to 50 times until both histories occur
    Then every task has exactly one terminal state
    And every task's history is either admitted, canceled or admitted, dispatched, canceled
    And every cancel reported the history it produced
    And both histories occurred: admitted, canceled and admitted, dispatched, canceled
