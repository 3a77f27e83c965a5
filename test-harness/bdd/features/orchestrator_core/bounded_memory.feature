@guardrails @memory
Feature: Bounded memory
  Session budget accounts, the affinity table, the replica-set registry
  and per-tenant counts are bounded: a pool that served many sessions
  holds no more than its bounds. An idle session that was forgotten starts
  fresh, with its whole budget again; a session with a request in progress
  is never forgotten.

  Background:
    Given a pool with capacity 10 and policy reject
    And every session has a budget of 1000 tokens
    And the pool keeps at most 2 idle sessions

  @OC-CORE-1054 @mutant-target
  Scenario: The least recently settled idle session is forgotten and starts fresh
    When a batch task t1 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    And the dispatcher takes 1 task
    And job t1 completes
    And a batch task t2 of session s2 with 10 prompt tokens and 0 max new tokens arrives
    And the dispatcher takes 1 task
    And job t2 completes
    And a batch task t3 of session s3 with 10 prompt tokens and 0 max new tokens arrives
    And the dispatcher takes 1 task
    And job t3 completes
    Then the pool holds 2 session accounts
    When a batch task t4 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    Then the admission of t4 reports 500 tokens remaining

  @OC-CORE-1054
  Scenario: A session with a request in progress is kept however many others come
    When a batch task t1 of session s1 with 400 prompt tokens and 100 max new tokens arrives
    And a batch task t2 of session s2 with 10 prompt tokens and 0 max new tokens arrives
    And the dispatcher takes 1 task
    And job t1 completes
    And a batch task t3 of session s3 with 10 prompt tokens and 0 max new tokens arrives
    And a batch task t4 of session s4 with 10 prompt tokens and 0 max new tokens arrives
    And a batch task t5 of session s2 with 900 prompt tokens and 91 max new tokens arrives
    Then task t5 is refused with BUDGET_EXCEEDED naming tokens
