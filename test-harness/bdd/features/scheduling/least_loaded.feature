@scheduling
Feature: Least-loaded placement and a total tie-break
  Among feasible replicas: most free VRAM first, then fewest active slots,
  then the smallest replica id. Nothing else influences the choice.

  @OC-CORE-1012 @mutant-target
  Scenario: Most free VRAM wins
    Given replicas:
      | replica | free_vram_mb | active_slots |
      | r1      | 2000         | 0            |
      | r2      | 6000         | 3            |
      | r3      | 4000         | 0            |
    When a job is placed
    Then it goes to replica r2

  @OC-CORE-1012 @OC-CORE-1017
  Scenario: Equal free VRAM: fewest active slots wins
    Given replicas:
      | replica | free_vram_mb | active_slots |
      | r1      | 4000         | 2            |
      | r2      | 4000         | 1            |
    When a job is placed
    Then it goes to replica r2

  @OC-CORE-1017 @mutant-target
  Scenario Outline: A full tie falls to the smallest replica id, in any listing order
    Given replicas listed in the order <order>, all with 4000 MB free and 1 active slot
    When a job is placed
    Then it goes to replica a1

    Examples:
      | order      |
      | a1, b2, c3 |
      | c3, b2, a1 |
      | b2, a1, c3 |

  @OC-CORE-1017
  Scenario: The same snapshot gives the same choice every time
    Given replicas:
      | replica | free_vram_mb | active_slots |
      | r2      | 4000         | 1            |
      | r1      | 4000         | 1            |
      | r3      | 3000         | 0            |
    When a job is placed 20 times on the same snapshot
    Then every placement goes to replica r1
