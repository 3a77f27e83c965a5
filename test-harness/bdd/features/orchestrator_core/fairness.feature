@fairness
Feature: Fairness between classes and freedom from starvation
  With the weighted policy (the default) every backlogged class is served
  in proportion to its weight, and class k is served at least once in
  every ceil(sum(weights)/weight_k) dispatches. The bound holds for
  consecutive blocks of that many dispatches: with weights 3:2:1 no order
  can serve one class in every sliding run of 2 and another in every run
  of 3 while leaving room for the third. With the strict policy a lower
  class can starve; that is documented, not hidden.

  Background:
    Given the priority classes:
      | class       | rank | weight | capacity |
      | interactive | 3    | 3      | 20       |
      | batch       | 2    | 2      | 20       |
      | background  | 1    | 1      | 20       |
    And a pool with capacity 60 and policy reject

  @OC-CORE-1006 @mutant-target
  Scenario: Weighted fairness serves every backlogged class within its bound
    Given the fairness policy is weighted
    When 12 tasks of each class arrive
    And the dispatcher takes 12 tasks
    Then the dispatches per class are:
      | class       | dispatches |
      | interactive | 6          |
      | batch       | 4          |
      | background  | 2          |
    And class interactive is served in each block of 2 dispatches
    And class batch is served in each block of 3 dispatches
    And class background is served in each block of 6 dispatches

  @OC-CORE-1006
  Scenario: Weighted is the default policy
    When 6 tasks of each class arrive
    And the dispatcher takes 6 tasks
    Then class background is served in each block of 6 dispatches

  @OC-CORE-1006
  Scenario: The strict policy can starve a lower class
    Given the fairness policy is strict
    When 12 tasks of each class arrive
    And the dispatcher takes 12 tasks
    Then the dispatches per class are:
      | class       | dispatches |
      | interactive | 12         |
      | batch       | 0          |
      | background  | 0          |

  @OC-CORE-1007
  Scenario: The admission_share and dispatch share follow the weights under load
    Given the fairness policy is weighted
    When 12 tasks of each class arrive
    And the dispatcher takes 12 tasks
    Then the dispatch share is:
      | class       | share |
      | interactive | 0.5   |
      | batch       | 0.333 |
      | background  | 0.167 |
    And the admission share is:
      | class       | share |
      | interactive | 0.333 |
      | batch       | 0.333 |
      | background  | 0.333 |
