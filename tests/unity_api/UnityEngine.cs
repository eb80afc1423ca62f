// API stubs of the UnityEngine 6000.0 types the generated scripts may use: public signatures only,
// written from the documented API (UnityCsReference, branch 6000.0). Bodies are empty or throw;
// this assembly is for compiling against, never for running.
using System;
using System.Collections;
using System.Collections.Generic;

namespace UnityEngine
{
    public class Object
    {
        public string name { get { throw null; } set { } }
        public HideFlags hideFlags { get { throw null; } set { } }
        public int GetInstanceID() { throw null; }
        public static void Destroy(Object obj) { }
        public static void Destroy(Object obj, float t) { }
        public static void DestroyImmediate(Object obj) { }
        public static void DestroyImmediate(Object obj, bool allowDestroyingAssets) { }
        public static void DontDestroyOnLoad(Object target) { }
        public static Object Instantiate(Object original) { throw null; }
        public static Object Instantiate(Object original, Transform parent) { throw null; }
        public static Object Instantiate(Object original, Vector3 position, Quaternion rotation) { throw null; }
        public static T Instantiate<T>(T original) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Transform parent) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Vector3 position, Quaternion rotation) where T : Object { throw null; }
        public static T FindObjectOfType<T>() where T : Object { throw null; }
        public static T FindFirstObjectByType<T>() where T : Object { throw null; }
        public static T[] FindObjectsByType<T>(FindObjectsSortMode sortMode) where T : Object { throw null; }
        public static bool operator ==(Object x, Object y) { throw null; }
        public static bool operator !=(Object x, Object y) { throw null; }
        public static implicit operator bool(Object exists) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    [Flags]
    public enum HideFlags { None = 0, HideInHierarchy = 1, HideInInspector = 2, DontSaveInEditor = 4, NotEditable = 8, DontSaveInBuild = 16, DontUnloadUnusedAsset = 32, DontSave = 52, HideAndDontSave = 61 }

    public enum FindObjectsSortMode { None = 0, InstanceID = 1 }

    public class Component : Object
    {
        public Transform transform { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public string tag { get { throw null; } set { } }
        public T GetComponent<T>() { throw null; }
        public Component GetComponent(Type type) { throw null; }
        public bool TryGetComponent<T>(out T component) { throw null; }
        public T GetComponentInChildren<T>() { throw null; }
        public T GetComponentInParent<T>() { throw null; }
        public T[] GetComponents<T>() { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public bool CompareTag(string tag) { throw null; }
        public void SendMessage(string methodName) { }
    }

    public class Behaviour : Component
    {
        public bool enabled { get { throw null; } set { } }
        public bool isActiveAndEnabled { get { throw null; } }
    }

    public class MonoBehaviour : Behaviour
    {
        public bool useGUILayout { get { throw null; } set { } }
        public Coroutine StartCoroutine(IEnumerator routine) { throw null; }
        public void StopAllCoroutines() { }
        public void Invoke(string methodName, float time) { }
        public void CancelInvoke() { }
        public static void print(object message) { }
    }

    public sealed class Coroutine { }

    public sealed class GameObject : Object
    {
        public GameObject() { }
        public GameObject(string name) { }
        public GameObject(string name, params Type[] components) { }
        public Transform transform { get { throw null; } }
        public int layer { get { throw null; } set { } }
        public bool activeSelf { get { throw null; } }
        public bool activeInHierarchy { get { throw null; } }
        public string tag { get { throw null; } set { } }
        public bool isStatic { get { throw null; } set { } }
        public GameObject gameObject { get { throw null; } }
        public static GameObject CreatePrimitive(PrimitiveType type) { throw null; }
        public static GameObject Find(string name) { throw null; }
        public static GameObject FindWithTag(string tag) { throw null; }
        public static GameObject[] FindGameObjectsWithTag(string tag) { throw null; }
        public void SetActive(bool value) { }
        public T AddComponent<T>() where T : Component { throw null; }
        public Component AddComponent(Type componentType) { throw null; }
        public T GetComponent<T>() { throw null; }
        public Component GetComponent(Type type) { throw null; }
        public bool TryGetComponent<T>(out T component) { throw null; }
        public T GetComponentInChildren<T>() { throw null; }
        public T[] GetComponents<T>() { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public bool CompareTag(string tag) { throw null; }
    }

    public enum PrimitiveType { Sphere = 0, Capsule = 1, Cylinder = 2, Cube = 3, Plane = 4, Quad = 5 }

    public enum Space { World = 0, Self = 1 }

    public class Transform : Component, IEnumerable
    {
        protected Transform() { }
        public Vector3 position { get { throw null; } set { } }
        public Vector3 localPosition { get { throw null; } set { } }
        public Vector3 eulerAngles { get { throw null; } set { } }
        public Vector3 localEulerAngles { get { throw null; } set { } }
        public Vector3 right { get { throw null; } set { } }
        public Vector3 up { get { throw null; } set { } }
        public Vector3 forward { get { throw null; } set { } }
        public Quaternion rotation { get { throw null; } set { } }
        public Quaternion localRotation { get { throw null; } set { } }
        public Vector3 localScale { get { throw null; } set { } }
        public Vector3 lossyScale { get { throw null; } }
        public Transform parent { get { throw null; } set { } }
        public Transform root { get { throw null; } }
        public int childCount { get { throw null; } }
        public void SetParent(Transform p) { }
        public void SetParent(Transform parent, bool worldPositionStays) { }
        public void SetPositionAndRotation(Vector3 position, Quaternion rotation) { }
        public void SetLocalPositionAndRotation(Vector3 localPosition, Quaternion localRotation) { }
        public void Translate(Vector3 translation) { }
        public void Translate(Vector3 translation, Space relativeTo) { }
        public void Rotate(Vector3 eulers) { }
        public void Rotate(float xAngle, float yAngle, float zAngle) { }
        public void LookAt(Transform target) { }
        public void LookAt(Vector3 worldPosition) { }
        public Vector3 TransformPoint(Vector3 position) { throw null; }
        public Vector3 InverseTransformPoint(Vector3 position) { throw null; }
        public Vector3 TransformDirection(Vector3 direction) { throw null; }
        public Vector3 InverseTransformDirection(Vector3 direction) { throw null; }
        public Transform GetChild(int index) { throw null; }
        public Transform Find(string n) { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
    }

    public struct Vector2 : IEquatable<Vector2>, IFormattable
    {
        public float x;
        public float y;
        public Vector2(float x, float y) { this.x = x; this.y = y; }
        public static Vector2 zero { get { throw null; } }
        public static Vector2 one { get { throw null; } }
        public float magnitude { get { throw null; } }
        public Vector2 normalized { get { throw null; } }
        public static float Distance(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator +(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator -(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator *(Vector2 a, float d) { throw null; }
        public static implicit operator Vector3(Vector2 v) { throw null; }
        public static implicit operator Vector2(Vector3 v) { throw null; }
        public bool Equals(Vector2 other) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public struct Vector3 : IEquatable<Vector3>, IFormattable
    {
        public const float kEpsilon = 0.00001F;
        public float x;
        public float y;
        public float z;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
        public Vector3(float x, float y) { this.x = x; this.y = y; z = 0f; }
        public float this[int index] { get { throw null; } set { } }
        public static Vector3 zero { get { throw null; } }
        public static Vector3 one { get { throw null; } }
        public static Vector3 forward { get { throw null; } }
        public static Vector3 back { get { throw null; } }
        public static Vector3 up { get { throw null; } }
        public static Vector3 down { get { throw null; } }
        public static Vector3 left { get { throw null; } }
        public static Vector3 right { get { throw null; } }
        public Vector3 normalized { get { throw null; } }
        public float magnitude { get { throw null; } }
        public float sqrMagnitude { get { throw null; } }
        public void Set(float newX, float newY, float newZ) { }
        public void Normalize() { }
        public static float Distance(Vector3 a, Vector3 b) { throw null; }
        public static float Dot(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Cross(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Lerp(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 MoveTowards(Vector3 current, Vector3 target, float maxDistanceDelta) { throw null; }
        public static Vector3 Scale(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 ClampMagnitude(Vector3 vector, float maxLength) { throw null; }
        public static Vector3 Min(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Max(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 operator +(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 operator -(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 operator -(Vector3 a) { throw null; }
        public static Vector3 operator *(Vector3 a, float d) { throw null; }
        public static Vector3 operator *(float d, Vector3 a) { throw null; }
        public static Vector3 operator /(Vector3 a, float d) { throw null; }
        public static bool operator ==(Vector3 lhs, Vector3 rhs) { throw null; }
        public static bool operator !=(Vector3 lhs, Vector3 rhs) { throw null; }
        public override bool Equals(object other) { throw null; }
        public bool Equals(Vector3 other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public struct Quaternion : IEquatable<Quaternion>, IFormattable
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Quaternion(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public static Quaternion identity { get { throw null; } }
        public Vector3 eulerAngles { get { throw null; } set { } }
        public static Quaternion Euler(float x, float y, float z) { throw null; }
        public static Quaternion Euler(Vector3 euler) { throw null; }
        public static Quaternion AngleAxis(float angle, Vector3 axis) { throw null; }
        public static Quaternion LookRotation(Vector3 forward) { throw null; }
        public static Quaternion Inverse(Quaternion rotation) { throw null; }
        public static Quaternion operator *(Quaternion lhs, Quaternion rhs) { throw null; }
        public static Vector3 operator *(Quaternion rotation, Vector3 point) { throw null; }
        public static bool operator ==(Quaternion lhs, Quaternion rhs) { throw null; }
        public static bool operator !=(Quaternion lhs, Quaternion rhs) { throw null; }
        public override bool Equals(object other) { throw null; }
        public bool Equals(Quaternion other) { throw null; }
        public override int GetHashCode() { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public partial struct Mathf
    {
        public const float PI = (float)Math.PI;
        public const float Infinity = float.PositiveInfinity;
        public const float NegativeInfinity = float.NegativeInfinity;
        public const float Deg2Rad = PI * 2F / 360F;
        public const float Rad2Deg = 1F / Deg2Rad;
        public static readonly float Epsilon = float.Epsilon;
        public static float Sin(float f) { throw null; }
        public static float Cos(float f) { throw null; }
        public static float Tan(float f) { throw null; }
        public static float Atan2(float y, float x) { throw null; }
        public static float Sqrt(float f) { throw null; }
        public static float Abs(float f) { throw null; }
        public static int Abs(int value) { throw null; }
        public static float Min(float a, float b) { throw null; }
        public static float Max(float a, float b) { throw null; }
        public static int Min(int a, int b) { throw null; }
        public static int Max(int a, int b) { throw null; }
        public static float Pow(float f, float p) { throw null; }
        public static float Exp(float power) { throw null; }
        public static float Log(float f) { throw null; }
        public static float Ceil(float f) { throw null; }
        public static float Floor(float f) { throw null; }
        public static float Round(float f) { throw null; }
        public static int CeilToInt(float f) { throw null; }
        public static int FloorToInt(float f) { throw null; }
        public static int RoundToInt(float f) { throw null; }
        public static float Sign(float f) { throw null; }
        public static float Clamp(float value, float min, float max) { throw null; }
        public static int Clamp(int value, int min, int max) { throw null; }
        public static float Clamp01(float value) { throw null; }
        public static float Lerp(float a, float b, float t) { throw null; }
        public static float MoveTowards(float current, float target, float maxDelta) { throw null; }
        public static bool Approximately(float a, float b) { throw null; }
        public static float Repeat(float t, float length) { throw null; }
    }

    public static partial class Random
    {
        public static void InitState(int seed) { }
        public static float Range(float minInclusive, float maxInclusive) { throw null; }
        public static int Range(int minInclusive, int maxExclusive) { throw null; }
        public static float value { get { throw null; } }
        public static Vector3 insideUnitSphere { get { throw null; } }
        public static Vector2 insideUnitCircle { get { throw null; } }
        public static Vector3 onUnitSphere { get { throw null; } }
        public static Quaternion rotation { get { throw null; } }
    }

    public struct Ray : IFormattable
    {
        public Ray(Vector3 origin, Vector3 direction) { }
        public Vector3 origin { get { throw null; } set { } }
        public Vector3 direction { get { throw null; } set { } }
        public Vector3 GetPoint(float distance) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public enum QueryTriggerInteraction { UseGlobal = 0, Ignore = 1, Collide = 2 }

    public partial struct RaycastHit
    {
        public Collider collider { get { throw null; } }
        public Vector3 point { get { throw null; } set { } }
        public Vector3 normal { get { throw null; } set { } }
        public float distance { get { throw null; } set { } }
        public Transform transform { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
    }

    public partial class Physics
    {
        public const int IgnoreRaycastLayer = 1 << 2;
        public const int DefaultRaycastLayers = ~IgnoreRaycastLayer;
        public const int AllLayers = ~0;
        public static Vector3 gravity { get { throw null; } set { } }
        public static bool autoSyncTransforms { get { throw null; } set { } }
        public static void SyncTransforms() { }
        public static void Simulate(float step) { }
        public static bool Raycast(Vector3 origin, Vector3 direction) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance, int layerMask, QueryTriggerInteraction queryTriggerInteraction) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius) { throw null; }
    }

    public partial class Collider : Component
    {
        public bool enabled { get { throw null; } set { } }
        public bool isTrigger { get { throw null; } set { } }
        public Rigidbody attachedRigidbody { get { throw null; } }
        public Bounds bounds { get { throw null; } }
        public Vector3 ClosestPoint(Vector3 position) { throw null; }
    }

    public partial class SphereCollider : Collider
    {
        public Vector3 center { get { throw null; } set { } }
        public float radius { get { throw null; } set { } }
    }

    public partial class BoxCollider : Collider
    {
        public Vector3 center { get { throw null; } set { } }
        public Vector3 size { get { throw null; } set { } }
    }

    public partial class CapsuleCollider : Collider
    {
        public Vector3 center { get { throw null; } set { } }
        public float radius { get { throw null; } set { } }
        public float height { get { throw null; } set { } }
    }

    public partial class Rigidbody : Component
    {
        public Vector3 linearVelocity { get { throw null; } set { } }
        public Vector3 angularVelocity { get { throw null; } set { } }
        public bool isKinematic { get { throw null; } set { } }
        public bool useGravity { get { throw null; } set { } }
        public float mass { get { throw null; } set { } }
        public void MovePosition(Vector3 position) { }
        public void AddForce(Vector3 force) { }
    }

    public struct Bounds : IEquatable<Bounds>, IFormattable
    {
        public Bounds(Vector3 center, Vector3 size) { }
        public Vector3 center { get { throw null; } set { } }
        public Vector3 size { get { throw null; } set { } }
        public Vector3 extents { get { throw null; } set { } }
        public bool Contains(Vector3 point) { throw null; }
        public bool Equals(Bounds other) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public partial class Renderer : Component
    {
        public bool enabled { get { throw null; } set { } }
        public Material material { get { throw null; } set { } }
        public Material sharedMaterial { get { throw null; } set { } }
        public Material[] sharedMaterials { get { throw null; } set { } }
    }

    public partial class MeshRenderer : Renderer { }

    public partial class Material : Object
    {
        public Material(Shader shader) { }
        public Material(Material source) { }
        public Shader shader { get { throw null; } set { } }
        public Color color { get { throw null; } set { } }
        public void SetColor(string name, Color value) { }
        public void SetFloat(string name, float value) { }
    }

    public sealed partial class Shader : Object
    {
        public static Shader Find(string name) { throw null; }
    }

    public struct Color : IEquatable<Color>, IFormattable
    {
        public float r;
        public float g;
        public float b;
        public float a;
        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public Color(float r, float g, float b) { this.r = r; this.g = g; this.b = b; a = 1f; }
        public static Color red { get { throw null; } }
        public static Color green { get { throw null; } }
        public static Color blue { get { throw null; } }
        public static Color white { get { throw null; } }
        public static Color black { get { throw null; } }
        public static Color yellow { get { throw null; } }
        public static Color cyan { get { throw null; } }
        public static Color magenta { get { throw null; } }
        public static Color gray { get { throw null; } }
        public static Color grey { get { throw null; } }
        public static Color clear { get { throw null; } }
        public bool Equals(Color other) { throw null; }
        public string ToString(string format, IFormatProvider formatProvider) { throw null; }
    }

    public class Input
    {
        public static float GetAxis(string axisName) { throw null; }
        public static float GetAxisRaw(string axisName) { throw null; }
        public static bool GetButton(string buttonName) { throw null; }
        public static bool GetButtonDown(string buttonName) { throw null; }
        public static bool GetKey(KeyCode key) { throw null; }
        public static bool GetKey(string name) { throw null; }
        public static bool GetKeyDown(KeyCode key) { throw null; }
        public static bool GetKeyUp(KeyCode key) { throw null; }
        public static bool anyKey { get { throw null; } }
        public static Vector3 mousePosition { get { throw null; } }
    }

    /// <summary>A subset of UnityEngine.KeyCode, with its real values.</summary>
    public enum KeyCode
    {
        None = 0, Backspace = 8, Tab = 9, Return = 13, Escape = 27, Space = 32,
        Alpha0 = 48, Alpha1 = 49, Alpha2 = 50, Alpha3 = 51, Alpha4 = 52,
        A = 97, D = 100, E = 101, Q = 113, S = 115, W = 119,
        UpArrow = 273, DownArrow = 274, RightArrow = 275, LeftArrow = 276,
        RightShift = 303, LeftShift = 304, RightControl = 305, LeftControl = 306, RightAlt = 307, LeftAlt = 308,
    }

    public partial class Debug
    {
        public static void Log(object message) { }
        public static void Log(object message, Object context) { }
        public static void LogFormat(string format, params object[] args) { }
        public static void LogWarning(object message) { }
        public static void LogWarning(object message, Object context) { }
        public static void LogError(object message) { }
        public static void LogError(object message, Object context) { }
        public static void LogException(Exception exception) { }
        public static void LogException(Exception exception, Object context) { }
        public static void Assert(bool condition) { }
        public static void Assert(bool condition, string message) { }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color) { }
        public static void DrawLine(Vector3 start, Vector3 end, Color color) { }
    }

    public class Application
    {
        public static bool isEditor { get { throw null; } }
        public static bool isPlaying { get { throw null; } }
        public static bool isBatchMode { get { throw null; } }
        public static string dataPath { get { throw null; } }
        public static int targetFrameRate { get { throw null; } set { } }
        public static void Quit() { }
        public static void Quit(int exitCode) { }
    }

    public class Time
    {
        public static float time { get { throw null; } }
        public static float deltaTime { get { throw null; } }
        public static float fixedDeltaTime { get { throw null; } set { } }
        public static float timeScale { get { throw null; } set { } }
        public static int frameCount { get { throw null; } }
    }


    public interface ISerializationCallbackReceiver
    {
        void OnBeforeSerialize();
        void OnAfterDeserialize();
    }

    public abstract class PropertyAttribute : Attribute
    {
        public int order { get { throw null; } set { } }
        protected PropertyAttribute() { }
        protected PropertyAttribute(bool applyToCollection) { }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct, Inherited = true, AllowMultiple = false)]
    public class TooltipAttribute : PropertyAttribute
    {
        public readonly string tooltip;
        public TooltipAttribute(string tooltip) { this.tooltip = tooltip; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = true)]
    public class HeaderAttribute : PropertyAttribute
    {
        public readonly string header;
        public HeaderAttribute(string header) { this.header = header; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public sealed class RangeAttribute : PropertyAttribute
    {
        public readonly float min;
        public readonly float max;
        public RangeAttribute(float min, float max) { this.min = min; this.max = max; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public sealed class MinAttribute : PropertyAttribute
    {
        public readonly float min;
        public MinAttribute(float min) { this.min = min; }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class HideInInspector : Attribute { }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class RequireComponent : Attribute
    {
        public Type m_Type0;
        public Type m_Type1;
        public Type m_Type2;
        public RequireComponent(Type requiredComponent) { m_Type0 = requiredComponent; }
        public RequireComponent(Type requiredComponent, Type requiredComponent2) { m_Type0 = requiredComponent; m_Type1 = requiredComponent2; }
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class DisallowMultipleComponent : Attribute { }

    [AttributeUsage(AttributeTargets.Class)]
    public class DefaultExecutionOrder : Attribute
    {
        public DefaultExecutionOrder(int order) { }
        public int order { get { throw null; } }
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Enum, AllowMultiple = false)]
    public class HelpURLAttribute : Attribute
    {
        public HelpURLAttribute(string url) { }
        public virtual string URL { get { throw null; } }
    }

    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { }
        public AddComponentMenu(string menuName, int order) { }
    }
}

namespace UnityEngine.Serialization
{
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
    public class FormerlySerializedAsAttribute : Attribute
    {
        public FormerlySerializedAsAttribute(string oldName) { }
        public string oldName { get { throw null; } }
    }
}

namespace UnityEngine.SceneManagement
{
    public partial struct Scene
    {
        public string name { get { throw null; } set { } }
        public string path { get { throw null; } }
        public bool isLoaded { get { throw null; } }
        public bool IsValid() { throw null; }
        public GameObject[] GetRootGameObjects() { throw null; }
    }

    public class SceneManager
    {
        public static int sceneCount { get { throw null; } }
        public static Scene GetActiveScene() { throw null; }
        public static void LoadScene(string sceneName) { }
    }
}
