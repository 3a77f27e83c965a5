@queue
Feature: FIFO within a class, higher rank first across classes

  Background:
    Given the priority classes:
      | class       | rank | weight | capacity |
      | interactive | 3    | 3      | 10       |
      | batch       | 2    | 2      | 10       |
      | background  | 1    | 1      | 10       |
    And the fairness policy is strict
    And a pool with capacity 30 and policy reject

  @OC-CORE-1003 @OC-CORE-1004 @mutant-target
  Scenario: Arrival order is kept within a class
    When batch tasks b1, b2, b3, b4 arrive
    And the dispatcher takes 4 tasks
    Then the dispatch order is b1, b2, b3, b4

  @OC-CORE-1004 @mutant-target
  Scenario: The higher-ranked class is served first
    When background task g1 arrives
    And batch task b1 arrives
    And interactive tasks i1, i2 arrive
    And the dispatcher takes 4 tasks
    Then the dispatch order is i1, i2, b1, g1

  @OC-CORE-1004
  Scenario: A task arriving later in a higher class overtakes the queued lower class
    When batch tasks b1, b2 arrive
    And the dispatcher takes 1 task
    And interactive task i1 arrives
    And the dispatcher takes 2 tasks
    Then the dispatch order is b1, i1, b2
