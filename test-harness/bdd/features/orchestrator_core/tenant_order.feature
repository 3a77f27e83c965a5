@admission @tenants
Feature: Tenant fairness inside a class
  A class may serve its tenants round-robin: the tenants with queued tasks
  in the class are served in turn, FIFO within a tenant, so a burst from
  one tenant delays another tenant's oldest task by at most (active
  tenants - 1) dispatches of the class. fifo, the default, keeps arrival
  order across tenants. drop-lru still evicts the class's oldest task by
  arrival.

  Background:
    Given a pool with capacity 0 and policy reject

  @OC-CORE-1053 @mutant-target
  Scenario: A burst from one tenant does not hold back the others
    Given the batch class serves its tenants round-robin
    When batch tasks a1, a2, a3, a4 of tenant acme arrive
    And batch task b1 of tenant bolt arrives
    And batch task c1 of tenant cora arrives
    And the dispatcher takes 6 tasks
    Then the dispatch order is a1, b1, c1, a2, a3, a4

  @OC-CORE-1053
  Scenario: A tenant that arrives late joins the end of the rotation
    Given the batch class serves its tenants round-robin
    When batch tasks a1, a2, a3 of tenant acme arrive
    And batch tasks b1, b2 of tenant bolt arrive
    And the dispatcher takes 2 tasks
    And batch task c1 of tenant cora arrives
    And the dispatcher takes 4 tasks
    Then the dispatch order is a1, b1, a2, b2, c1, a3

  @OC-CORE-1053
  Scenario: fifo, the default, keeps arrival order across tenants
    When batch tasks a1, a2, a3 of tenant acme arrive
    And batch task b1 of tenant bolt arrives
    And the dispatcher takes 4 tasks
    Then the dispatch order is a1, a2, a3, b1

  @OC-CORE-1053 @OC-CORE-1002
  Scenario: drop-lru evicts the oldest by arrival under round-robin too
    Given the priority classes:
      | class | rank | weight | capacity |
      | batch | 1    | 1      | 3        |
    And a pool with capacity 0 and policy drop-lru
    And the batch class serves its tenants round-robin
    When batch tasks a1, a2 of tenant acme arrive
    And batch task b1 of tenant bolt arrives
    And the dispatcher takes 1 task
    And batch tasks b2, b3 of tenant bolt arrive
    Then the admission of b3 evicts a2
    And the batch queue holds b1, b2, b3
