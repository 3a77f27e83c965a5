@determinism
Feature: Determinism: replica-set pinning, seed policy, reproducible decisions
  Replicas that may substitute for each other form a replica set pinned to
  engine_version, sampler_profile_version and model_digest. Every job has a
  seed, given or assigned by a documented rule, and the same inputs give the
  same decisions, so any job can be replayed.

  @OC-CORE-1030
  Scenario: Two replicas of one replica set give identical token streams
    Given two replicas of one replica set
    When the same prompt, parameters and seed 42 are sent to both
    Then both token streams are identical
    And seed 43 gives the first replica a different stream

  @OC-CORE-1031 @mutant-target
  Scenario Outline: A replica whose pinned versions differ from its set is refused
    Given replica r1 founds replica set rs1 with engine_version b1, sampler profile sp1 and model digest sha-a
    When replica r2 with engine_version <engine>, sampler profile <sampler> and model digest <digest> joins rs1
    Then the registration is <outcome>

    Examples:
      | engine | sampler | digest | outcome                                |
      | b1     | sp1     | sha-a  | accepted                               |
      | b2     | sp1     | sha-a  | refused naming engine_version          |
      | b1     | sp2     | sha-a  | refused naming sampler_profile_version |
      | b1     | sp1     | sha-b  | refused naming model_digest            |

  @OC-CORE-1031 @mutant-target
  Scenario: A retry stays in the replica set of the job's first dispatch
    Given a pool with capacity 10 and policy reject
    And a backoff with base 100 ms, cap 1000 ms, at most 2 retries and seed 7
    And replicas:
      | replica | set | free_vram_mb |
      | r1      | rs1 | 9000         |
      | r2      | rs1 | 500          |
      | r3      | rs2 | 4000         |
    When batch task t1 arrives
    And the dispatcher takes 1 task
    Then it goes to replica r1
    When job t1 fails with cause REPLICA_LOST
    And replica r1 turns not Ready
    And the clock advances 1000 ms
    And the dispatcher takes 1 task
    Then it goes to replica r2
    And the history of t1 is admitted, dispatched, retried, dispatched

  @OC-CORE-1031
  Scenario: A replica whose versions differ from its replica set gets no job
    Given replicas:
      | replica | set | engine_version | free_vram_mb |
      | r1      | rs1 | b1             | 1000         |
      | r2      | rs1 | b2             | 9000         |
    When a job is placed
    Then it goes to replica r1
    And the decision counts 2 candidates, 1 feasible
    And the decision filtered 1 by REPLICA_SET_MISMATCH

  @OC-CORE-1032
  Scenario Outline: A change of engine or model starts a new replica set
    Given replica r1 founds replica set rs1 with engine_version b1, sampler profile sp1 and model digest sha-a
    When the replica set is derived for engine_version <engine>, sampler profile sp1 and model digest <digest>
    Then it is <same> replica set as r1's

    Examples:
      | engine | digest | same        |
      | b1     | sha-a  | the same    |
      | b2     | sha-a  | a different |
      | b1     | sha-b  | a different |

  @OC-CORE-1032
  Scenario: A retry never moves to a replica of a newer engine_version
    Replicas that name no replica set are grouped by their versions, so
    an engine update is a new set and a retry does not cross into it.

    Given a pool with capacity 10 and policy reject
    And a backoff with base 100 ms, cap 1000 ms, at most 2 retries and seed 7
    And replicas:
      | replica | set  | engine_version | free_vram_mb |
      | r1      | none | b1             | 9000         |
      | r2      | none | b1             | 500          |
      | r3      | none | b2             | 4000         |
    When batch task t1 arrives
    And the dispatcher takes 1 task
    Then it goes to replica r1
    When job t1 fails with cause REPLICA_LOST
    And replica r1 turns not Ready
    And the clock advances 1000 ms
    And the dispatcher takes 1 task
    Then it goes to replica r2

  @OC-CORE-1033 @mutant-target
  Scenario: The same arrivals and snapshots give the same decisions on every run
    Given replicas:
      | replica | free_vram_mb | active_slots |
      | r1      | 4000         | 1            |
      | r2      | 4000         | 0            |
      | r3      | 8000         | 3            |
    When the same 30 arrivals are replayed in two fresh pools
    Then both runs make the same sequence of decisions
    And a run with the replicas listed in reverse order makes them too

  @OC-CORE-1034 @mutant-target
  Scenario: A client seed is carried unchanged
    Given a pool with capacity 10 and policy reject
    When batch task t1 with seed 12345 arrives
    And the dispatcher takes 1 task
    Then the dispatch envelope of t1 carries seed 12345

  @OC-CORE-1034
  Scenario: A retried job runs with the seed of its task
    Given a pool with capacity 10 and policy reject
    And a backoff with base 100 ms, cap 1000 ms, at most 1 retries and seed 7
    When batch task t1 with seed 12345 arrives
    And batch task t2 without a seed arrives
    And the dispatcher takes 2 tasks
    And job t1 fails on every attempt
    And job t2 fails on every attempt
    Then job t1 was retried 1 times
    And the dispatch envelope of t1 carries seed 12345
    And the dispatch envelope of t2 carries the assigned seed

  @OC-CORE-1034
  Scenario: A missing seed is assigned by a reproducible rule and recorded
    Given a pool with capacity 10 and policy reject
    When batch task t1 without a seed arrives
    And the dispatcher takes 1 task
    Then the dispatch envelope of t1 carries the assigned seed
    And the same task in a fresh pool is assigned the same seed
