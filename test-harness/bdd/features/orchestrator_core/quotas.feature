@quotas
Feature: Per-tenant quotas at admission
  Quotas from configuration bound how many tasks a tenant may have queued
  and how many jobs in flight. Exceeding one is a typed refusal naming it.

  Background:
    Given a pool with capacity 20 and policy reject

  @OC-CORE-1009 @mutant-target
  Scenario: The queued-task quota refuses the next task and names the quota
    Given tenant acme may have at most 2 queued tasks
    When batch tasks t1, t2 of tenant acme arrive
    And batch task t3 of tenant acme arrives
    Then task t3 is refused with QUOTA_EXCEEDED naming max_queued
    And the batch queue holds t1, t2

  @OC-CORE-1009
  Scenario: Another tenant is not affected by a tenant's quota
    Given tenant acme may have at most 1 queued task
    When batch task t1 of tenant acme arrives
    And batch task t2 of tenant zeta arrives
    Then task t2 is admitted

  @OC-CORE-1009
  Scenario: The in-flight quota refuses the next task and names the quota
    Given tenant acme may have at most 1 in-flight job
    When batch task t1 of tenant acme arrives
    And the dispatcher takes 1 task
    And batch task t2 of tenant acme arrives
    Then task t2 is refused with QUOTA_EXCEEDED naming max_inflight

  @OC-CORE-1009
  Scenario: Completing a job frees the in-flight quota
    Given tenant acme may have at most 1 in-flight job
    When batch task t1 of tenant acme arrives
    And the dispatcher takes 1 task
    And job t1 completes
    And batch task t2 of tenant acme arrives
    Then task t2 is admitted
