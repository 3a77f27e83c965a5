@scheduling
Feature: Only Ready replicas receive jobs
  Readiness is checked first: a replica observed not Ready is no candidate,
  however much room it has.

  @OC-CORE-1010 @mutant-target
  Scenario: A not-Ready replica is skipped even when it is the best fit
    Given replicas:
      | replica | ready | free_vram_mb |
      | r1      | no    | 9000         |
      | r2      | yes   | 1000         |
    When a job is placed
    Then it goes to replica r2

  @OC-CORE-1010
  Scenario: A replica that turns not-Ready receives no new job
    Given replicas:
      | replica | ready | free_vram_mb |
      | r1      | yes   | 9000         |
      | r2      | yes   | 1000         |
    When a job is placed
    Then it goes to replica r1
    When replica r1 turns not Ready
    And a job is placed
    Then it goes to replica r2

  @OC-CORE-1010
  Scenario: With no Ready replica nothing is placed
    Given replicas:
      | replica | ready |
      | r1      | no    |
      | r2      | no    |
    When a job is placed
    Then nothing is placed, with reason POOL_UNREADY
