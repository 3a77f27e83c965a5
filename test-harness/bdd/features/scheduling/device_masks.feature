@scheduling
Feature: Device masks are honored
  A pool's jobs go only to replicas whose devices all lie inside the pool's
  device mask. A replica with one device outside it is filtered, not used.

  @OC-CORE-1011 @mutant-target
  Scenario: A replica on a device outside the pool's mask gets no job
    Given pool p1 with device mask 0,1
    And replicas:
      | replica | pool | devices | free_vram_mb |
      | r1      | p1   | 2       | 9000         |
      | r2      | p1   | 0,1     | 1000         |
    When a job is placed
    Then it goes to replica r2

  @OC-CORE-1011
  Scenario: No spillover to a replica straddling the mask
    Given pool p1 with device mask 0,1
    And replicas:
      | replica | pool | devices |
      | r1      | p1   | 1,2     |
    When a job is placed
    Then nothing is placed, with reason DEVICE_MASK_MISMATCH
