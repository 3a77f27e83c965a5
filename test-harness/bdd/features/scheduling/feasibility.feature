@scheduling
Feature: Feasibility, model requirements and the reason taxonomy
  A replica is feasible only if it serves the required context, has every
  required extension and matches the engine and model. When nothing is
  feasible, the decision says why, with counts.

  @OC-CORE-1014
  Scenario: Requirements are built from catalog and capabilities, nothing guessed
    Given the catalog lists model llama-8b with quant Q4 and no digest
    And the engine reports a context window of 8192 and no template overhead
    When the model requirements are built
    Then the requirement model_id is llama-8b
    And the requirement quant is Q4
    And the requirement model_digest is absent
    And the requirement ctx_max is absent

  @OC-CORE-1015
  Scenario: ctx_max is what the user gets after the template overhead
    Given the catalog lists model llama-8b with quant Q4 and no digest
    And the engine reports a context window of 8192 and a template overhead of 192
    When the model requirements are built
    Then the requirement ctx_max is 8000

  @OC-CORE-1014 @OC-CORE-1015
  Scenario: The pool places a task by the requirements built for it
    Given the catalog lists model llama-8b with quant Q4 and no digest
    And the engine reports a context window of 8192 and a template overhead of 192
    And replicas:
      | replica | ctx_max | free_vram_mb |
      | r1      | 7999    | 9000         |
      | r2      | 8000    | 1000         |
    When the model requirements are built
    And a job with these requirements is placed
    Then it goes to replica r2
    And the decision filtered 1 by INSUFFICIENT_CTX

  @OC-CORE-1015 @OC-CORE-1016
  Scenario: A replica whose usable context is too short is infeasible
    Given replicas:
      | replica | ctx_max | free_vram_mb |
      | r1      | 4096    | 9000         |
      | r2      | 8192    | 1000         |
    When a job needing ctx_max 8000 is placed
    Then it goes to replica r2

  @OC-CORE-1016 @OC-CORE-1042 @mutant-target
  Scenario Outline: The reason taxonomy
    Given replicas:
      | replica | ready   | pool | devices   | engine   | model   | ctx_max   | extensions   | active_slots   | slots |
      | r1      | <ready> | p1   | <devices> | <engine> | <model> | <ctx_max> | <extensions> | <active_slots> | 4     |
    And pool p1 with device mask 0,1
    When a job for model llama-8b on engine llamacpp needing ctx_max 4096 and extension tools is placed
    Then nothing is placed, with reason <reason>
    And the decision counts 1 candidates, 0 feasible
    And the decision filtered 1 by <reason>

    Examples:
      | reason                 | ready | devices | engine   | model    | ctx_max | extensions | active_slots |
      | POOL_UNREADY           | no    | 0       | llamacpp | llama-8b | 8192    | tools      | 0            |
      | DEVICE_MASK_MISMATCH   | yes   | 3       | llamacpp | llama-8b | 8192    | tools      | 0            |
      | ENGINE_MISMATCH        | yes   | 0       | vllm     | llama-8b | 8192    | tools      | 0            |
      | ENGINE_MISMATCH        | yes   | 0       | llamacpp | qwen-7b  | 8192    | tools      | 0            |
      | INSUFFICIENT_CTX       | yes   | 0       | llamacpp | llama-8b | 2048    | tools      | 0            |
      | EXTENSIONS_UNSATISFIED | yes   | 0       | llamacpp | llama-8b | 8192    | grammar    | 0            |
      | NO_CAPACITY            | yes   | 0       | llamacpp | llama-8b | 8192    | tools      | 4            |

  @OC-CORE-1042
  Scenario: The counts add up across several filtered candidates
    Given pool p1 with device mask 0,1
    And replicas:
      | replica | ready | pool | devices | ctx_max | free_vram_mb |
      | r1      | no    | p1   | 0       | 8192    | 1000         |
      | r2      | yes   | p1   | 5       | 8192    | 1000         |
      | r3      | yes   | p1   | 1       | 2048    | 1000         |
      | r4      | yes   | p1   | 1       | 8192    | 1000         |
    When a job needing ctx_max 4096 is placed
    Then it goes to replica r4
    And the decision counts 4 candidates, 1 feasible
    And the decision filtered 1 by POOL_UNREADY, 1 by DEVICE_MASK_MISMATCH and 1 by INSUFFICIENT_CTX
