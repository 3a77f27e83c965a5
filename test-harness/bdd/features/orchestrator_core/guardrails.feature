@guardrails
Feature: Guardrails and budgets before admission
  Context, token budget and session budgets are checked before a task is
  queued. Nothing is silently truncated; every refusal names its cause.

  Background:
    Given a pool with capacity 10 and policy reject
    And the model ctx_max is 4096 tokens

  @OC-CORE-1020 @mutant-target
  Scenario Outline: The context limit is checked before enqueue
    When a batch task t1 with <prompt> prompt tokens and <new> max new tokens arrives
    Then task t1 is <outcome>

    Examples:
      | prompt | new  | outcome                   |
      | 3000   | 1096 | admitted                  |
      | 3000   | 1097 | refused with CTX_EXCEEDED |
      | 4097   | 0    | refused with CTX_EXCEEDED |

  @OC-CORE-1020
  Scenario: A refused oversized request leaves nothing queued
    When a batch task t1 with 4000 prompt tokens and 200 max new tokens arrives
    Then task t1 is refused with CTX_EXCEEDED naming ctx_max
    And the pool holds 0 queued tasks

  @OC-CORE-1021
  Scenario Outline: The token budget covers prompt and generation
    Given the token budget per request is 2000 tokens
    When a batch task t1 with <prompt> prompt tokens and <new> max new tokens arrives
    Then task t1 is <outcome>

    Examples:
      | prompt | new  | outcome                            |
      | 1000   | 1000 | admitted                           |
      | 1000   | 1001 | refused with TOKEN_BUDGET_EXCEEDED |
      | 2001   | 0    | refused with TOKEN_BUDGET_EXCEEDED |

  @OC-CORE-1023
  Scenario Outline: A session budget refuses an infeasible request and names the budget
    Given every session has a budget of <limit>
    When a batch task t1 of session s1 with <prompt> prompt tokens and <new> max new tokens arrives
    Then task t1 is refused with BUDGET_EXCEEDED naming <budget>

    Examples:
      | limit                                | prompt | new | budget      |
      | 500 tokens                           | 400    | 101 | tokens      |
      | 1000 cost micros at 2 micros a token | 400    | 101 | cost_micros |

  @OC-CORE-1023
  Scenario: A session that used up its wall time is refused
    Given every session has a budget of 1000 ms of wall time
    When a batch task t1 of session s1 with 10 prompt tokens and 10 max new tokens arrives
    And the clock advances 1000 ms
    And a batch task t2 of session s1 with 10 prompt tokens and 10 max new tokens arrives
    Then task t1 is admitted
    And task t2 is refused with BUDGET_EXCEEDED naming wall_ms

  @OC-CORE-1023
  Scenario: Tokens spent by a session count against its budget
    Given every session has a budget of 1000 tokens
    When a batch task t1 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    And a batch task t2 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    And a batch task t3 of session s1 with 1 prompt token and 0 max new tokens arrives
    Then tasks t1, t2 are admitted
    And task t3 is refused with BUDGET_EXCEEDED naming tokens

  @OC-CORE-1024
  Scenario: Every admission decision carries the remaining budget
    Given every session has a budget of 1000 tokens
    When a batch task t1 of session s1 with 300 prompt tokens and 100 max new tokens arrives
    Then task t1 is admitted
    And the admission of t1 reports 600 tokens remaining
    When a batch task t2 of session s1 with 500 prompt tokens and 101 max new tokens arrives
    Then task t2 is refused with BUDGET_EXCEEDED naming tokens
    And the admission of t2 reports 600 tokens remaining

  @OC-CORE-1023 @OC-CORE-1024
  Scenario: A completed job is charged what it used, not its reservation
    Given every session has a budget of 1000 tokens
    When a batch task t1 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    And the dispatcher takes 1 task
    And job t1 emits 10 tokens
    And job t1 completes
    And a batch task t2 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    Then the admission of t1 reports 500 tokens remaining
    And the admission of t2 reports 90 tokens remaining
