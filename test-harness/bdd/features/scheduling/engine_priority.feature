@scheduling @priority
Feature: Engine priority follows the classes
  Every job carries the priority to pass to its engine, derived from its
  class's rank with the polarity the engine expects, so the engine's own
  scheduler and preemption agree with the core's classes. vLLM runs a
  lower value first (lower_first, the default).

  Background:
    Given a pool with capacity 10 and policy reject

  @OC-CORE-1058 @mutant-target
  Scenario Outline: The highest rank gets the value the engine runs first
    Given the engine runs <polarity> priorities
    When interactive task i1 arrives
    And batch task b1 arrives
    And background task g1 arrives
    And the dispatcher takes 3 tasks
    Then job i1 runs with engine priority <interactive>
    And job b1 runs with engine priority <batch>
    And job g1 runs with engine priority <background>

    Examples:
      | polarity     | interactive | batch | background |
      | lower_first  | 0           | 1     | 2          |
      | higher_first | 2           | 1     | 0          |
