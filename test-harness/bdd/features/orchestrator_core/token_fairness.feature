@fairness @tokens
Feature: Token-weighted fairness
  With the weighted-tokens policy the classes share dispatched tokens
  (prompt plus max new tokens) in proportion to their weights, not
  dispatches: one long prompt costs as much as many short ones. Within a
  run of one backlog set the tokens a class got stay within the stated
  constant of its share.

  Background:
    Given the priority classes:
      | class       | rank | weight | capacity |
      | interactive | 2    | 1      | 20       |
      | batch       | 1    | 1      | 20       |
    And a pool with capacity 0 and policy reject
    And the fairness policy is weighted-tokens

  @OC-CORE-1052 @mutant-target
  Scenario: One long prompt weighs as much as ten short ones
    When interactive tasks i1, i2, i3 with 100 prompt tokens and 0 max new tokens arrive
    And batch tasks b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12 with 10 prompt tokens and 0 max new tokens arrive
    And the dispatcher takes 12 tasks
    Then the dispatch order is i1, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, i2

  @OC-CORE-1052
  Scenario: Equal costs share like equal weights
    When interactive tasks i1, i2 with 50 prompt tokens and 50 max new tokens arrive
    And batch tasks b1, b2 with 60 prompt tokens and 40 max new tokens arrive
    And the dispatcher takes 4 tasks
    Then the dispatch order is i1, b1, i2, b2
