// The part of com.unity.ml-agents 3.0 that drives an Agent, for the differential test: the Academy's
// step (decision requests, step count, observations, decisions, actions) and the Agent's lifecycle
// (Initialize, OnEpisodeBegin, CollectObservations, OnActionReceived, EndEpisode and MaxStep with
// their final CollectObservations), environment parameters, statistics and the training area
// replicator as it plays in the Editor. Decisions come from Academy.Policy, which the test driver
// sets; Academy.Connect stands for the trainer's handshake (its num_areas).
using System;
using System.Collections.Generic;
using UnityEngine;
using Unity.MLAgents.Actuators;
using Unity.MLAgents.Sensors;
using Unity.MLAgents.Policies;

namespace Unity.MLAgents
{
    /// <summary>What an Agent sends for a decision, or at the end of its episode.</summary>
    public struct AgentInfo
    {
        public float reward;
        public bool done;
        public bool maxStepReached;
        public int episodeId;
        public IList<float> observations;
    }

    /// <summary>Where decisions come from: the test driver.</summary>
    public interface IShimPolicy
    {
        void RequestDecision(Agent agent, AgentInfo info);
        void DecideAction(Agent agent, ActionBuffers storedActions);
    }

    [RequireComponent(typeof(BehaviorParameters))]
    public partial class Agent : MonoBehaviour, ISerializationCallbackReceiver, IActionReceiver, IHeuristicProvider
    {
        public int MaxStep;
        AgentInfo m_Info;
        float m_Reward;
        float m_CumulativeReward;
        bool m_RequestAction;
        bool m_RequestDecision;
        int m_StepCount;
        int m_CompletedEpisodes;
        int m_EpisodeId;
        bool m_Initialized;
        VectorSensor m_Sensor;
        ActionBuffers m_StoredActions;
        static int s_EpisodeIds;

        protected virtual void OnEnable() { LazyInitialize(); }
        protected virtual void OnDisable() { }
        public void OnBeforeSerialize() { }
        public void OnAfterDeserialize() { }

        public void LazyInitialize()
        {
            if (m_Initialized)
            {
                return;
            }
            m_Initialized = true;
            m_EpisodeId = s_EpisodeIds++;
            var academy = Academy.Instance;
            academy.AgentIncrementStep += AgentIncrementStep;
            academy.AgentSendState += SendInfo;
            academy.DecideAction += DecideAction;
            academy.AgentAct += AgentStep;
            academy.AgentForceReset += AgentReset;
            var parameters = GetComponent<BehaviorParameters>().BrainParameters;
            m_StoredActions = new ActionBuffers(
                new float[parameters.ActionSpec.NumContinuousActions], new int[parameters.ActionSpec.NumDiscreteActions]);
            Initialize();
            m_Sensor = new VectorSensor(parameters.VectorObservationSize);
            if (academy.TotalStepCount != 0)
            {
                OnEpisodeBegin();
            }
        }

        public int StepCount { get { return m_StepCount; } }
        public int CompletedEpisodes { get { return m_CompletedEpisodes; } }
        public void SetReward(float reward) { m_CumulativeReward += reward - m_Reward; m_Reward = reward; }
        public void AddReward(float increment) { m_Reward += increment; m_CumulativeReward += increment; }
        public float GetCumulativeReward() { return m_CumulativeReward; }
        public void EndEpisode() { NotifyAgentDone(false); AgentReset(); }
        public void EpisodeInterrupted() { NotifyAgentDone(true); AgentReset(); }
        public void RequestDecision() { m_RequestDecision = true; RequestAction(); }
        public void RequestAction() { m_RequestAction = true; }

        public virtual void Initialize() { }
        public virtual void Heuristic(in ActionBuffers actionsOut) { }
        public virtual void CollectObservations(VectorSensor sensor) { }
        public virtual void WriteDiscreteActionMask(IDiscreteActionMask actionMask) { }
        public virtual void OnActionReceived(ActionBuffers actions) { }
        public virtual void OnEpisodeBegin() { }

        void AgentIncrementStep() { m_StepCount += 1; }

        void SendInfo()
        {
            if (!m_RequestDecision)
            {
                return;
            }
            m_Sensor.Reset();
            CollectObservations(m_Sensor);
            m_Info.reward = m_Reward;
            m_Info.done = false;
            m_Info.maxStepReached = false;
            m_Info.episodeId = m_EpisodeId;
            m_Info.observations = m_Sensor.GetObservations();
            Academy.Instance.Policy.RequestDecision(this, m_Info);
            m_Reward = 0f;
            m_RequestDecision = false;
        }

        void DecideAction() { Academy.Instance.Policy.DecideAction(this, m_StoredActions); }

        void AgentStep()
        {
            if (m_RequestAction)
            {
                m_RequestAction = false;
                OnActionReceived(m_StoredActions);
            }
            if (m_StepCount >= MaxStep && MaxStep > 0)
            {
                NotifyAgentDone(true);
                AgentReset();
            }
        }

        void NotifyAgentDone(bool maxStepReached)
        {
            if (m_Info.done)
            {
                return;
            }
            m_Info.episodeId = m_EpisodeId;
            m_Info.reward = m_Reward;
            m_Info.done = true;
            m_Info.maxStepReached = maxStepReached;
            // As ML-Agents does: the final observations go to the trainer with the done flag.
            m_Sensor.Reset();
            CollectObservations(m_Sensor);
            m_Info.observations = m_Sensor.GetObservations();
            Academy.Instance.Policy.RequestDecision(this, m_Info);
            m_CompletedEpisodes++;
            m_Reward = 0f;
            m_CumulativeReward = 0f;
            m_RequestAction = false;
            m_RequestDecision = false;
            m_StoredActions.Clear();
        }

        void AgentReset()
        {
            m_StoredActions.Clear();
            m_StepCount = 0;
            m_EpisodeId = s_EpisodeIds++;
            OnEpisodeBegin();
        }
    }

    public class Academy
    {
        static Academy s_Instance;
        bool m_HadFirstReset;
        int m_StepCount;
        int m_TotalStepCount;
        readonly EnvironmentParameters m_Parameters = new EnvironmentParameters();
        readonly StatsRecorder m_Stats = new StatsRecorder();

        public static Academy Instance { get { return s_Instance ?? (s_Instance = new Academy()); } }
        public bool IsCommunicatorOn { get; private set; }
        public int NumAreas { get; private set; }

        /// <summary>What the trainer's handshake sets: a communicator, and how many areas it wants.</summary>
        public void Connect(int numAreas)
        {
            IsCommunicatorOn = true;
            NumAreas = numAreas;
        }
        public int StepCount { get { return m_StepCount; } }
        public int TotalStepCount { get { return m_TotalStepCount; } }
        public EnvironmentParameters EnvironmentParameters { get { return m_Parameters; } }
        public StatsRecorder StatsRecorder { get { return m_Stats; } }
        public IShimPolicy Policy { get; set; }

        internal event Action<int> AgentPreStep;
        internal event Action AgentIncrementStep;
        internal event Action AgentSendState;
        internal event Action DecideAction;
        internal event Action AgentAct;
        internal event Action AgentForceReset;

        public void EnvironmentStep()
        {
            if (!m_HadFirstReset)
            {
                m_StepCount = 0;
                if (AgentForceReset != null) AgentForceReset();
                m_HadFirstReset = true;
            }
            if (AgentPreStep != null) AgentPreStep(m_StepCount);
            m_StepCount += 1;
            m_TotalStepCount += 1;
            if (AgentIncrementStep != null) AgentIncrementStep();
            if (AgentSendState != null) AgentSendState();
            if (DecideAction != null) DecideAction();
            if (AgentAct != null) AgentAct();
        }
    }

    public sealed class EnvironmentParameters
    {
        readonly Dictionary<string, float> m_Values = new Dictionary<string, float>();
        public float GetWithDefault(string key, float defaultValue)
        {
            float value;
            return m_Values.TryGetValue(key, out value) ? value : defaultValue;
        }
        /// <summary>What the environment-parameters side channel does when the trainer sends a value.</summary>
        public void Set(string key, float value) { m_Values[key] = value; }
    }

    public enum StatAggregationMethod { Average = 0, MostRecent = 1, Sum = 2, Histogram = 3 }

    public sealed class StatsRecorder
    {
        public readonly List<KeyValuePair<string, float>> Recorded = new List<KeyValuePair<string, float>>();
        public void Add(string key, float value, StatAggregationMethod aggregationMethod = StatAggregationMethod.Average)
        {
            Recorded.Add(new KeyValuePair<string, float>(key, value));
        }
    }

    [RequireComponent(typeof(Agent))]
    [DefaultExecutionOrder(-10)]
    public class DecisionRequester : MonoBehaviour
    {
        public int DecisionPeriod = 5;
        public int DecisionStep = 0;
        public bool TakeActionsBetweenDecisions = true;
        Agent m_Agent;

        internal void Awake()
        {
            m_Agent = GetComponent<Agent>();
            Academy.Instance.AgentPreStep += MakeRequests;
        }

        void MakeRequests(int academyStepCount)
        {
            if (academyStepCount % DecisionPeriod == DecisionStep)
            {
                m_Agent.RequestDecision();
            }
            if (TakeActionsBetweenDecisions)
            {
                m_Agent.RequestAction();
            }
        }
    }
}

namespace Unity.MLAgents.Actuators
{
    public struct ActionSegment<T> where T : struct
    {
        readonly T[] m_Array;
        public readonly int Offset;
        public readonly int Length;

        public ActionSegment(T[] array) { m_Array = array; Offset = 0; Length = array.Length; }

        public T this[int index]
        {
            get { Check(index); return m_Array[Offset + index]; }
            set { Check(index); m_Array[Offset + index] = value; }
        }

        void Check(int index)
        {
            if (index < 0 || index >= Length)
            {
                throw new IndexOutOfRangeException("index " + index + " is outside this ActionSegment of length " + Length);
            }
        }

        public void Clear() { Array.Clear(m_Array, Offset, Length); }
    }

    public struct ActionBuffers
    {
        public ActionSegment<float> ContinuousActions { get; private set; }
        public ActionSegment<int> DiscreteActions { get; private set; }

        public ActionBuffers(float[] continuousActions, int[] discreteActions)
        {
            ContinuousActions = new ActionSegment<float>(continuousActions);
            DiscreteActions = new ActionSegment<int>(discreteActions);
        }

        public void Clear() { ContinuousActions.Clear(); DiscreteActions.Clear(); }
    }

    public struct ActionSpec
    {
        public int NumContinuousActions { get; set; }
        public int[] BranchSizes { get; set; }
        public int NumDiscreteActions { get { return BranchSizes == null ? 0 : BranchSizes.Length; } }
        public static ActionSpec MakeContinuous(int numActions) { return new ActionSpec { NumContinuousActions = numActions }; }
        public static ActionSpec MakeDiscrete(params int[] branchSizes) { return new ActionSpec { BranchSizes = branchSizes }; }
    }

    public interface IActionReceiver
    {
        void OnActionReceived(ActionBuffers actionBuffers);
        void WriteDiscreteActionMask(IDiscreteActionMask actionMask);
    }

    public interface IHeuristicProvider
    {
        void Heuristic(in ActionBuffers actionBuffersOut);
    }

    public interface IDiscreteActionMask
    {
        void SetActionEnabled(int branch, int actionIndex, bool isEnabled);
    }
}

namespace Unity.MLAgents.Sensors
{
    /// <summary>Keeps every value added, so the driver sees a size mismatch instead of padding.</summary>
    public class VectorSensor
    {
        readonly List<float> m_Observations = new List<float>();
        public VectorSensor(int observationSize, string name = null) { }
        public IList<float> GetObservations() { return m_Observations.ToArray(); }
        public void Reset() { m_Observations.Clear(); }
        public void AddObservation(float observation) { m_Observations.Add(observation); }
        public void AddObservation(int observation) { m_Observations.Add(observation); }
        public void AddObservation(bool observation) { m_Observations.Add(observation ? 1f : 0f); }
        public void AddObservation(Vector3 observation)
        {
            m_Observations.Add(observation.x);
            m_Observations.Add(observation.y);
            m_Observations.Add(observation.z);
        }
    }
}

namespace Unity.MLAgents.Policies
{
    [Serializable]
    public class BrainParameters
    {
        public int VectorObservationSize = 1;
        public int NumStackedVectorObservations = 1;
        public ActionSpec ActionSpec { get; set; }
    }

    public class BehaviorParameters : MonoBehaviour
    {
        [SerializeField] BrainParameters m_BrainParameters = new BrainParameters();
        [SerializeField] string m_BehaviorName;
        public BrainParameters BrainParameters { get { return m_BrainParameters; } }
        public string BehaviorName { get { return m_BehaviorName; } set { m_BehaviorName = value; } }
    }
}

namespace Unity.MLAgents.Areas
{
    /// <summary>
    /// Replicates the base area as ML-Agents 3 does, in the Editor's play mode (the shim's): the trainer's
    /// num_areas when one is connected, on a grid; nothing when buildOnly (player builds only) is set.
    /// </summary>
    [DefaultExecutionOrder(-5)]
    public class TrainingAreaReplicator : MonoBehaviour
    {
        public GameObject baseArea;
        public int numAreas = 1;
        public float separation = 10f;
        public bool buildOnly = true;
        int m_GridX = 1, m_GridY = 1, m_GridZ = 1;

        public void Awake()
        {
            if (Academy.Instance.IsCommunicatorOn)
            {
                numAreas = Academy.Instance.NumAreas;
            }
            var side = (int)Math.Ceiling(Math.Pow(numAreas, 1.0 / 3.0) - 1e-9);
            m_GridX = m_GridY = Math.Max(side, 1);
            m_GridZ = Math.Max((int)Math.Ceiling((double)numAreas / (m_GridX * m_GridY)), 1);
        }

        public void OnEnable()
        {
            if (buildOnly)
            {
                return;  // UNITY_STANDALONE && !UNITY_EDITOR only
            }
            var count = 1;
            for (var z = 0; z < m_GridZ; z++)
            {
                for (var y = 0; y < m_GridY; y++)
                {
                    for (var x = 0; x < m_GridX; x++)
                    {
                        if ((x | y | z) == 0 || count >= numAreas)
                        {
                            continue;
                        }
                        count++;
                        var area = Instantiate(baseArea, new Vector3(x * separation, y * separation, z * separation), Quaternion.identity);
                        area.name = baseArea.name;
                    }
                }
            }
        }
    }
}
