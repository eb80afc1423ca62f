// API stubs of com.unity.ml-agents 3.0 (Unity-Technologies/ml-agents, com.unity.ml-agents/Runtime):
// the public types and members a generated Agent, scene builder or build script may use, with their
// real namespaces, signatures and virtual/override shape. Inference (Unity.Sentis) members are left
// out. Bodies are empty or throw: this assembly is for compiling against, never for running.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using UnityEngine;
using Unity.MLAgents.Actuators;
using Unity.MLAgents.Sensors;
using Unity.MLAgents.Policies;

namespace Unity.MLAgents
{
    [Serializable]
    [RequireComponent(typeof(BehaviorParameters))]
    public partial class Agent : MonoBehaviour, ISerializationCallbackReceiver, IActionReceiver, IHeuristicProvider
    {
        [HideInInspector] public int MaxStep;
        protected virtual void OnEnable() { }
        protected virtual void OnDisable() { }
        public void OnBeforeSerialize() { }
        public void OnAfterDeserialize() { }
        public void LazyInitialize() { }
        public int StepCount { get { throw null; } }
        public int CompletedEpisodes { get { throw null; } }
        public void SetReward(float reward) { }
        public void AddReward(float increment) { }
        public float GetCumulativeReward() { throw null; }
        public void EndEpisode() { }
        public void EpisodeInterrupted() { }
        public void RequestDecision() { }
        public void RequestAction() { }
        public virtual void Initialize() { }
        public virtual void Heuristic(in ActionBuffers actionsOut) { }
        public virtual void CollectObservations(VectorSensor sensor) { }
        public ReadOnlyCollection<float> GetObservations() { throw null; }
        public ReadOnlyCollection<ISensor> GetSensors() { throw null; }
        public virtual void WriteDiscreteActionMask(IDiscreteActionMask actionMask) { }
        public virtual void OnActionReceived(ActionBuffers actions) { }
        public virtual void OnEpisodeBegin() { }
        public ActionBuffers GetStoredActionBuffers() { throw null; }
        protected static float ScaleAction(float rawAction, float min, float max) { throw null; }
    }

    public class Academy : IDisposable
    {
        public static bool IsInitialized { get { throw null; } }
        public static Academy Instance { get { throw null; } }
        public bool IsCommunicatorOn { get { throw null; } }
        public bool AutomaticSteppingEnabled { get { throw null; } set { } }
        public int InferenceSeed { get { throw null; } set { } }
        public int NumAreas { get { throw null; } }
        public int EpisodeCount { get { throw null; } }
        public int StepCount { get { throw null; } }
        public int TotalStepCount { get { throw null; } }
        public EnvironmentParameters EnvironmentParameters { get { throw null; } }
        public StatsRecorder StatsRecorder { get { throw null; } }
        public event Action OnEnvironmentReset;
        public event Action DestroyAction;
        public void EnvironmentStep() { }
        public void Dispose() { }
    }

    public sealed class EnvironmentParameters
    {
        public float GetWithDefault(string key, float defaultValue) { throw null; }
        public void RegisterCallback(string key, Action<float> action) { }
        public IList<string> Keys() { throw null; }
    }

    public enum StatAggregationMethod { Average = 0, MostRecent = 1, Sum = 2, Histogram = 3 }

    public sealed class StatsRecorder
    {
        public void Add(string key, float value, StatAggregationMethod aggregationMethod = StatAggregationMethod.Average) { }
    }

    public struct DecisionRequestContext
    {
        public int AcademyStepCount;
    }

    [AddComponentMenu("ML Agents/Decision Requester", 1)]
    [RequireComponent(typeof(Agent))]
    [DefaultExecutionOrder(-10)]
    public class DecisionRequester : MonoBehaviour
    {
        [Range(1, 20)] public int DecisionPeriod = 5;
        [Range(0, 19)] public int DecisionStep = 0;
        public bool TakeActionsBetweenDecisions = true;
        public Agent Agent { get { throw null; } }
        internal void Awake() { }
        protected virtual bool ShouldRequestDecision(DecisionRequestContext context) { throw null; }
        protected virtual bool ShouldRequestAction(DecisionRequestContext context) { throw null; }
    }

    public class UnityAgentsException : Exception
    {
        public UnityAgentsException(string message) : base(message) { }
    }
}

namespace Unity.MLAgents.Actuators
{
    public readonly struct ActionSegment<T> : IEnumerable<T>, IEquatable<ActionSegment<T>> where T : struct
    {
        public readonly int Offset;
        public readonly int Length;
        public static ActionSegment<T> Empty;
        public ActionSegment(T[] sourceArray) { Offset = 0; Length = 0; }
        public ActionSegment(T[] actionArray, int offset, int length) { Offset = offset; Length = length; }
        public T this[int index] { get { throw null; } set { } }
        public T[] Array { get { throw null; } }
        public void Clear() { }
        public bool IsEmpty() { throw null; }
        public void CopyTo(ActionSegment<T> destinationSegment) { }
        public IEnumerator<T> GetEnumerator() { throw null; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() { throw null; }
        public bool Equals(ActionSegment<T> other) { throw null; }
    }

    public readonly struct ActionBuffers
    {
        public static ActionBuffers Empty;
        public ActionSegment<float> ContinuousActions { get { throw null; } }
        public ActionSegment<int> DiscreteActions { get { throw null; } }
        public ActionBuffers(float[] continuousActions, int[] discreteActions) { }
        public ActionBuffers(ActionSegment<float> continuousActions, ActionSegment<int> discreteActions) { }
        public ActionBuffers(ActionSpec actionSpec) { }
        public void Clear() { }
        public bool IsEmpty() { throw null; }
    }

    public struct ActionSpec
    {
        public int NumContinuousActions { get { throw null; } set { } }
        public int NumDiscreteActions { get { throw null; } }
        public int SumOfDiscreteBranchSizes { get { throw null; } }
        public int[] BranchSizes { get { throw null; } set { } }
        public static ActionSpec MakeContinuous(int numActions) { throw null; }
        public static ActionSpec MakeDiscrete(params int[] branchSizes) { throw null; }
        public ActionSpec(int numContinuousActions = 0, int[] discreteBranchSizes = null) { }
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
    public enum ObservationType { Default = 0, GoalSignal = 1 }

    public enum SensorCompressionType { None, PNG }

    public struct ObservationSpec
    {
        public static ObservationSpec Vector(int length, ObservationType obsType = ObservationType.Default) { throw null; }
    }

    public struct CompressionSpec
    {
        public static CompressionSpec Default() { throw null; }
    }

    public class ObservationWriter { }

    public interface ISensor
    {
        ObservationSpec GetObservationSpec();
        int Write(ObservationWriter writer);
        byte[] GetCompressedObservation();
        void Update();
        void Reset();
        CompressionSpec GetCompressionSpec();
        string GetName();
    }

    public class VectorSensor : ISensor
    {
        public VectorSensor(int observationSize, string name = null, ObservationType observationType = ObservationType.Default) { }
        public int Write(ObservationWriter writer) { throw null; }
        public ReadOnlyCollection<float> GetObservations() { throw null; }
        public void Update() { }
        public void Reset() { }
        public ObservationSpec GetObservationSpec() { throw null; }
        public string GetName() { throw null; }
        public virtual byte[] GetCompressedObservation() { throw null; }
        public CompressionSpec GetCompressionSpec() { throw null; }
        public void AddObservation(float observation) { }
        public void AddObservation(int observation) { }
        public void AddObservation(Vector3 observation) { }
        public void AddObservation(Vector2 observation) { }
        public void AddObservation(IList<float> observation) { }
        public void AddObservation(Quaternion observation) { }
        public void AddObservation(bool observation) { }
        public void AddOneHotObservation(int observation, int range) { }
    }
}

namespace Unity.MLAgents.Policies
{
    public enum BehaviorType { Default, HeuristicOnly, InferenceOnly }

    public enum ObservableAttributeOptions { Ignore, ExcludeInherited, ExamineAll }

    [Serializable]
    public class BrainParameters
    {
        public int VectorObservationSize = 1;
        [Range(1, 50)] public int NumStackedVectorObservations = 1;
        public string[] VectorActionDescriptions;
        public ActionSpec ActionSpec { get { throw null; } set { } }
        public BrainParameters Clone() { throw null; }
    }

    [AddComponentMenu("ML Agents/Behavior Parameters", 1)]
    public class BehaviorParameters : MonoBehaviour
    {
        public BrainParameters BrainParameters { get { throw null; } internal set { } }
        public string BehaviorName { get { throw null; } set { } }
        public int TeamId { get { throw null; } set { } }
        public BehaviorType BehaviorType { get { throw null; } set { } }
        public bool UseChildSensors { get { throw null; } set { } }
        public bool UseChildActuators { get { throw null; } set { } }
        public bool DeterministicInference { get { throw null; } set { } }
        public ObservableAttributeOptions ObservableAttributeHandling { get { throw null; } set { } }
        public string FullyQualifiedBehaviorName { get { throw null; } }
        public bool IsInHeuristicMode() { throw null; }
    }
}

namespace Unity.MLAgents.Areas
{
    [DefaultExecutionOrder(-5)]
    public class TrainingAreaReplicator : MonoBehaviour
    {
        public GameObject baseArea;
        public int numAreas = 1;
        public float separation = 10f;
        public bool buildOnly = true;
        public string TrainingAreaName { get { throw null; } }
        public void Awake() { }
        public void OnEnable() { }
    }
}
