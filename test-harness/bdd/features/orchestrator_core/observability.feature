@observability
Feature: Logs, metrics and placement reasons
  Every job's log record carries the fixed field set, metrics use the names
  of the metrics contract, and a job that cannot be placed says why.

  @OC-CORE-1040 @mutant-target
  Scenario: A job's log record carries every required field
    Given a pool with capacity 10 and policy reject
    And the pool logs JSON records
    When batch task t1 of session s1 arrives
    And the dispatcher takes 1 task
    And job t1 completes
    Then the completed record of task t1 carries the fields:
      | field                   |
      | job_id                  |
      | session_id              |
      | engine                  |
      | engine_version          |
      | pool_id                 |
      | replica_id              |
      | model_id                |
      | quant                   |
      | ctx                     |
      | kv_warmth               |
      | queue_time_ms           |
      | decode_time_ms          |
      | seed                    |
      | sampler_profile_version |
    And the completed record of task t1 has session_id s1, pool_id p1 and class batch

  @OC-CORE-1040
  Scenario: A placed job's log record names its job, replica, engine and seed
    Given a pool with capacity 10 and policy reject
    And the pool logs JSON records
    And replicas:
      | replica | free_vram_mb |
      | r1      | 4000         |
    When batch task t1 of session s1 with seed 7 arrives
    And the dispatcher takes 1 task
    And job t1 completes
    Then the completed record of task t1 has job_id t1#1, replica_id r1, seed 7, engine llamacpp, engine_version b1, model_id llama-8b, quant Q4, ctx 8192 and kv_warmth false

  @OC-CORE-1041
  Scenario: Pool events feed the contract's metrics
    Given a pool with capacity 1 and policy reject
    And the pool reports to a fresh metrics registry
    When batch task t1 arrives
    And batch task t2 arrives
    And the dispatcher takes 1 task
    And job t1 completes
    Then the registry holds:
      | metric                | labels                                  | value |
      | queue_depth           | pool_id=p1, class=batch                 | 0     |
      | tasks_enqueued_total  | pool_id=p1, class=batch                 | 1     |
      | tasks_started_total   | pool_id=p1, class=batch                 | 1     |
      | tasks_completed_total | pool_id=p1, class=batch                 | 1     |
      | tasks_rejected_total  | reason=QUEUE_FULL                       | 1     |
      | admission_share       | pool_id=p1, class=batch, stage=admitted | 1     |
      | latency_decode_ms     | pool_id=p1                              | 1     |

  @OC-CORE-1041
  Scenario: A drop is counted with its class and reason
    Given a pool with capacity 1 and policy drop-lru
    And the pool reports to a fresh metrics registry
    When batch task t1 arrives
    And batch task t2 arrives
    Then the registry holds:
      | metric              | labels                                              | value |
      | tasks_dropped_total | pool_id=p1, class=batch, reason=QUEUE_FULL_DROP_LRU | 1     |
      | queue_depth         | pool_id=p1, class=batch                             | 1     |

  @OC-CORE-1041
  Scenario: Replica samples, first tokens and preloads reach the contract's metrics
    Replica samples, streamed tokens and preload outcomes come from the
    engines, not from the pool: the scenario reports them to the exporter
    as the dispatcher would. A histogram's value below is its count.

    Given a fresh metrics registry
    When replica r1 of pool p1 reports GPU utilization 0.5, 8000000000 bytes of VRAM used and KV cache usage 0.25
    And job j1 of pool p1 streams its first token after 120 ms
    And a preload on replica r1 of pool p1 ends ok
    Then the registry holds:
      | metric                 | labels                    | value      |
      | gpu_utilization        | pool_id=p1, replica_id=r1 | 0.5        |
      | vram_used_bytes        | pool_id=p1, replica_id=r1 | 8000000000 |
      | kv_cache_usage_ratio   | pool_id=p1, replica_id=r1 | 0.25       |
      | latency_first_token_ms | pool_id=p1                | 1          |
      | tokens_out_total       | pool_id=p1                | 1          |
      | preload_outcomes_total | pool_id=p1, outcome=ok    | 1          |

  @OC-CORE-1042
  Scenario: A job that cannot be placed stays queued and its reason is logged
    Given a pool with capacity 10 and policy reject
    And the pool logs JSON records
    And replicas:
      | replica | ready |
      | r1      | no    |
    When batch task t1 arrives
    And the dispatcher takes 1 task
    Then nothing is dispatched
    And the pool holds 1 queued tasks
    And the no_capacity record of task t1 has reason POOL_UNREADY, candidates_total 1 and candidates_feasible 0
