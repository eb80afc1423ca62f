// A small engine that runs generated Agents outside Unity, for the differential test: GameObjects
// and components, translation-and-scale transforms (no rotations), Instantiate with Unity's
// serialization rules, play mode (Awake, OnEnable), primitives with sphere and box colliders,
// Physics.Raycast against them, seeded Random and the math types with Unity's float arithmetic.
// Only what the generated scripts use is here; everything else is left out.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace UnityEngine
{
    public class Object
    {
        string m_Name = "";
        public string name { get { return m_Name; } set { m_Name = value; } }

        public static void DestroyImmediate(Object obj)
        {
            var component = obj as Component;
            if (component != null)
            {
                component.gameObject.RemoveComponent(component);
            }
            var gameObject = obj as GameObject;
            if (gameObject != null)
            {
                ShimScene.Objects.Remove(gameObject);
            }
        }

        public static void Destroy(Object obj) { DestroyImmediate(obj); }

        /// <summary>
        /// Copies a GameObject with its children as Unity does: serialized fields (public ones and
        /// [SerializeField] ones) are copied, references into the copied hierarchy point at the copies,
        /// everything else starts as a new script would. In play mode the copies wake up at once.
        /// </summary>
        public static T Instantiate<T>(T original, Vector3 position, Quaternion rotation) where T : Object
        {
            var source = original as GameObject;
            if (source == null)
            {
                throw new NotSupportedException("the engine shim instantiates GameObjects only");
            }
            var copies = new Dictionary<Object, Object>();
            var copy = ShimScene.CloneTree(source, null, copies);
            foreach (var pair in copies.Where(p => p.Key is Component && !(p.Key is Transform)))
            {
                ShimScene.CopySerializedFields(pair.Key, pair.Value, copies);
            }
            copy.transform.position = position;
            if (ShimScene.Playing)
            {
                ShimScene.Wake(copies.Values.OfType<MonoBehaviour>());
            }
            return (T)(Object)copy;
        }

        public static implicit operator bool(Object exists) { return !ReferenceEquals(exists, null); }
    }

    /// <summary>The shim's one scene: every GameObject, in creation order, and play mode.</summary>
    public static class ShimScene
    {
        const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        public static readonly List<GameObject> Objects = new List<GameObject>();
        public static bool Playing { get; private set; }

        /// <summary>Enter play mode: every script wakes (Awake, then OnEnable) in script execution order.</summary>
        public static void Play()
        {
            Playing = true;
            Wake(Objects.SelectMany(o => o.Components).OfType<MonoBehaviour>().ToList());
        }

        internal static void Wake(IEnumerable<MonoBehaviour> scripts)
        {
            foreach (var script in scripts.OrderBy(ExecutionOrder).ToList())
            {
                Call(script, "Awake");
                Call(script, "OnEnable");
            }
        }

        static int ExecutionOrder(MonoBehaviour script)
        {
            var order = (DefaultExecutionOrder)script.GetType().GetCustomAttributes(typeof(DefaultExecutionOrder), true)
                .FirstOrDefault();
            return order == null ? 0 : order.order;
        }

        static void Call(object target, string name)
        {
            for (var type = target.GetType(); type != null; type = type.BaseType)
            {
                var method = type.GetMethod(name, Members | BindingFlags.DeclaredOnly, null, Type.EmptyTypes, null);
                if (method != null)
                {
                    method.Invoke(target, null);
                    return;
                }
            }
        }

        internal static GameObject CloneTree(GameObject source, Transform parent, Dictionary<Object, Object> copies)
        {
            var copy = new GameObject(source.name);
            copy.SetActive(source.activeSelf);
            copy.transform.SetParent(parent, false);
            copy.transform.localPosition = source.transform.localPosition;
            copy.transform.localScale = source.transform.localScale;
            copies[source] = copy;
            copies[source.transform] = copy.transform;
            foreach (var component in source.Components.Where(c => !(c is Transform)))
            {
                copies[component] = copy.AddComponentAsIs(component.GetType());
            }
            foreach (var child in Objects.Where(o => o.transform.parent == source.transform).ToList())
            {
                CloneTree(child, copy.transform, copies);
            }
            return copy;
        }

        internal static void CopySerializedFields(Object source, Object copy, Dictionary<Object, Object> copies)
        {
            for (var type = source.GetType(); type != typeof(Object); type = type.BaseType)
            {
                foreach (var field in type.GetFields(Members | BindingFlags.DeclaredOnly))
                {
                    var serialized = (field.IsPublic || field.IsDefined(typeof(SerializeField), false))
                        && !field.IsNotSerialized && !field.IsInitOnly && !field.IsLiteral;
                    if (serialized)
                    {
                        field.SetValue(copy, Copied(field.GetValue(source), copies));
                    }
                }
            }
        }

        /// <summary>A serialized value as the copy holds it: references remapped, arrays and plain classes by value.</summary>
        static object Copied(object value, Dictionary<Object, Object> copies)
        {
            var reference = value as Object;
            if (reference != null)
            {
                Object copy;
                return copies.TryGetValue(reference, out copy) ? copy : reference;
            }
            var array = value as Array;
            if (array != null)
            {
                var copied = Array.CreateInstance(array.GetType().GetElementType(), array.Length);
                for (var i = 0; i < array.Length; i++)
                {
                    copied.SetValue(Copied(array.GetValue(i), copies), i);
                }
                return copied;
            }
            if (value != null && value.GetType().IsClass && value.GetType().IsSerializable && !(value is string))
            {
                var clone = value.GetType().GetMethod("MemberwiseClone", Members).Invoke(value, null);
                return clone;
            }
            return value;
        }
    }

    public class Component : Object
    {
        internal GameObject m_GameObject;
        public GameObject gameObject { get { return m_GameObject; } }
        public Transform transform { get { return m_GameObject.transform; } }
        public T GetComponent<T>() { return m_GameObject.GetComponent<T>(); }
        public T[] GetComponents<T>() { return m_GameObject.GetComponents<T>(); }
    }

    public class Behaviour : Component
    {
        public bool enabled = true;
    }

    public class MonoBehaviour : Behaviour { }

    public sealed class GameObject : Object
    {
        readonly List<Component> m_Components = new List<Component>();
        bool m_Active = true;

        public GameObject() : this("New Game Object") { }

        public GameObject(string name)
        {
            this.name = name;
            var t = new Transform();
            t.m_GameObject = this;
            m_Components.Add(t);
            ShimScene.Objects.Add(this);
        }

        public Transform transform { get { return (Transform)m_Components[0]; } }
        public bool activeSelf { get { return m_Active; } }

        public bool activeInHierarchy
        {
            get { return m_Active && (transform.parent == null || transform.parent.gameObject.activeInHierarchy); }
        }

        public void SetActive(bool value) { m_Active = value; }
        public IEnumerable<Component> Components { get { return m_Components; } }

        public T AddComponent<T>() where T : Component { return (T)AddComponent(typeof(T)); }

        /// <summary>A component added without the ones it requires (Instantiate copies those too).</summary>
        internal Component AddComponentAsIs(Type type)
        {
            var component = (Component)Activator.CreateInstance(type);
            component.m_GameObject = this;
            m_Components.Add(component);
            return component;
        }

        public Component AddComponent(Type type)
        {
            foreach (RequireComponent required in type.GetCustomAttributes(typeof(RequireComponent), true))
            {
                if (GetComponent(required.m_Type0) == null)
                {
                    AddComponent(required.m_Type0);
                }
            }
            var component = (Component)Activator.CreateInstance(type);
            component.m_GameObject = this;
            m_Components.Add(component);
            return component;
        }

        internal void RemoveComponent(Component component) { m_Components.Remove(component); }

        public Component GetComponent(Type type) { return m_Components.FirstOrDefault(type.IsInstanceOfType); }
        public T GetComponent<T>() { return (T)(object)GetComponent(typeof(T)); }
        public T[] GetComponents<T>() { return m_Components.OfType<T>().ToArray(); }

        public static GameObject CreatePrimitive(PrimitiveType type)
        {
            var primitive = new GameObject(type.ToString());
            primitive.AddComponent<MeshRenderer>().sharedMaterial = new Material();
            if (type == PrimitiveType.Sphere)
            {
                primitive.AddComponent<SphereCollider>();
            }
            else if (type == PrimitiveType.Cube)
            {
                primitive.AddComponent<BoxCollider>();
            }
            else
            {
                throw new NotSupportedException("the engine shim makes spheres and cubes only");
            }
            return primitive;
        }
    }

    public enum PrimitiveType { Sphere = 0, Capsule = 1, Cylinder = 2, Cube = 3, Plane = 4, Quad = 5 }

    /// <summary>Translation and scale only. Only a turning agent rotates, and nothing is parented to it
    /// (its rays start at its centre), so its rotation is kept but moves nothing.</summary>
    public class Transform : Component
    {
        Transform m_Parent;
        public Vector3 localPosition = Vector3.zero;
        public Vector3 localScale = Vector3.one;
        public Quaternion localRotation = Quaternion.identity;

        public Transform parent { get { return m_Parent; } set { SetParent(value, true); } }

        public void SetParent(Transform parent, bool worldPositionStays)
        {
            var world = position;
            m_Parent = parent;
            if (worldPositionStays)
            {
                position = world;
            }
        }

        public Vector3 lossyScale
        {
            get { return m_Parent == null ? localScale : Vector3.Scale(m_Parent.lossyScale, localScale); }
        }

        public Vector3 position
        {
            get { return m_Parent == null ? localPosition : m_Parent.position + Vector3.Scale(m_Parent.lossyScale, localPosition); }
            set
            {
                if (m_Parent == null)
                {
                    localPosition = value;
                    return;
                }
                var offset = value - m_Parent.position;
                var scale = m_Parent.lossyScale;
                localPosition = new Vector3(offset.x / scale.x, offset.y / scale.y, offset.z / scale.z);
            }
        }
    }

    public struct Vector3
    {
        public float x;
        public float y;
        public float z;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
        public static Vector3 zero { get { return new Vector3(0f, 0f, 0f); } }
        public static Vector3 one { get { return new Vector3(1f, 1f, 1f); } }
        public static Vector3 forward { get { return new Vector3(0f, 0f, 1f); } }
        public float magnitude { get { return (float)Math.Sqrt(x * x + y * y + z * z); } }
        public static float Distance(Vector3 a, Vector3 b) { return (a - b).magnitude; }
        public static float Dot(Vector3 a, Vector3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
        public static Vector3 Scale(Vector3 a, Vector3 b) { return new Vector3(a.x * b.x, a.y * b.y, a.z * b.z); }
        public static Vector3 operator +(Vector3 a, Vector3 b) { return new Vector3(a.x + b.x, a.y + b.y, a.z + b.z); }
        public static Vector3 operator -(Vector3 a, Vector3 b) { return new Vector3(a.x - b.x, a.y - b.y, a.z - b.z); }
        public static Vector3 operator -(Vector3 a) { return new Vector3(-a.x, -a.y, -a.z); }
        public static Vector3 operator *(Vector3 a, float d) { return new Vector3(a.x * d, a.y * d, a.z * d); }
        public static Vector3 operator *(float d, Vector3 a) { return new Vector3(a.x * d, a.y * d, a.z * d); }
        public static Vector3 operator /(Vector3 a, float d) { return new Vector3(a.x / d, a.y / d, a.z / d); }
    }

    public struct Quaternion
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Quaternion(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public static Quaternion identity { get { return new Quaternion(0f, 0f, 0f, 1f); } }

        /// <summary>Rotations about z, then x, then y (degrees), Unity's order.</summary>
        public static Quaternion Euler(float x, float y, float z)
        {
            return Axis(0f, 1f, 0f, y) * Axis(1f, 0f, 0f, x) * Axis(0f, 0f, 1f, z);
        }

        static Quaternion Axis(float ax, float ay, float az, float degrees)
        {
            var half = degrees * Mathf.Deg2Rad * 0.5f;
            var s = (float)Math.Sin(half);
            return new Quaternion(ax * s, ay * s, az * s, (float)Math.Cos(half));
        }

        public static Quaternion operator *(Quaternion a, Quaternion b)
        {
            return new Quaternion(
                a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
                a.w * b.y + a.y * b.w + a.z * b.x - a.x * b.z,
                a.w * b.z + a.z * b.w + a.x * b.y - a.y * b.x,
                a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z);
        }

        public static Vector3 operator *(Quaternion q, Vector3 v)
        {
            // v + 2w(q × v) + 2 q × (q × v), with q the vector part
            var qv = new Vector3(q.x, q.y, q.z);
            var t = 2f * Cross(qv, v);
            return v + q.w * t + Cross(qv, t);
        }

        static Vector3 Cross(Vector3 a, Vector3 b)
        {
            return new Vector3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
        }
    }

    public struct Mathf
    {
        public const float PI = (float)Math.PI;
        public const float Deg2Rad = PI * 2F / 360F;
        public static float Sin(float f) { return (float)Math.Sin(f); }
        public static float Cos(float f) { return (float)Math.Cos(f); }
        public static float Sqrt(float f) { return (float)Math.Sqrt(f); }
        public static float Abs(float f) { return Math.Abs(f); }
        public static float Min(float a, float b) { return a < b ? a : b; }
        public static float Max(float a, float b) { return a > b ? a : b; }
        public static float Clamp(float value, float min, float max) { return value < min ? min : value > max ? max : value; }
    }

    /// <summary>Seeded by the driver; Range draws like Unity's, uniform on [min, max].</summary>
    public static class Random
    {
        static System.Random s_Random = new System.Random(0);
        public static void InitState(int seed) { s_Random = new System.Random(seed); }
        public static float Range(float minInclusive, float maxInclusive)
        {
            return minInclusive + (maxInclusive - minInclusive) * (float)s_Random.NextDouble();
        }
    }

    public enum QueryTriggerInteraction { UseGlobal = 0, Ignore = 1, Collide = 2 }

    public struct RaycastHit
    {
        public float distance { get; set; }
        public Collider collider { get; internal set; }
    }

    public class Collider : Component
    {
        public bool enabled = true;
        public bool isTrigger;

        /// <summary>Distance along the unit ray to this shape; no hit (infinity) when the origin is inside it.</summary>
        internal virtual float Intersect(Vector3 origin, Vector3 direction) { return float.PositiveInfinity; }
    }

    public class SphereCollider : Collider
    {
        public Vector3 center = Vector3.zero;
        public float radius = 0.5f;

        internal override float Intersect(Vector3 origin, Vector3 direction)
        {
            var scale = transform.lossyScale;
            var r = radius * Math.Max(Math.Abs(scale.x), Math.Max(Math.Abs(scale.y), Math.Abs(scale.z)));
            var offset = transform.position + Vector3.Scale(scale, center) - origin;
            var outside = Vector3.Dot(offset, offset) - r * r;
            if (outside <= 0f)
            {
                return float.PositiveInfinity;
            }
            var along = Vector3.Dot(offset, direction);
            var discriminant = along * along - outside;
            if (discriminant < 0f)
            {
                return float.PositiveInfinity;
            }
            var entry = along - (float)Math.Sqrt(discriminant);
            return entry >= 0f ? entry : float.PositiveInfinity;
        }
    }

    public class BoxCollider : Collider
    {
        public Vector3 center = Vector3.zero;
        public Vector3 size = Vector3.one;

        internal override float Intersect(Vector3 origin, Vector3 direction)
        {
            var scale = transform.lossyScale;
            var middle = transform.position + Vector3.Scale(scale, center);
            var half = Vector3.Scale(scale, size) * 0.5f;
            float enter = float.NegativeInfinity, leave = float.PositiveInfinity;
            for (var axis = 0; axis < 3; axis++)
            {
                var o = Get(origin, axis) - Get(middle, axis);
                var d = Get(direction, axis);
                var h = Math.Abs(Get(half, axis));
                if (Math.Abs(d) < 1e-12f)
                {
                    if (o < -h || o > h)
                    {
                        return float.PositiveInfinity;
                    }
                    continue;
                }
                var t1 = (-h - o) / d;
                var t2 = (h - o) / d;
                enter = Math.Max(enter, Math.Min(t1, t2));
                leave = Math.Min(leave, Math.Max(t1, t2));
            }
            return enter > 0f && enter <= leave ? enter : float.PositiveInfinity;
        }

        static float Get(Vector3 v, int axis) { return axis == 0 ? v.x : axis == 1 ? v.y : v.z; }
    }

    public class Physics
    {
        public const int IgnoreRaycastLayer = 1 << 2;
        public const int DefaultRaycastLayers = ~IgnoreRaycastLayer;

        /// <summary>Transforms are read directly, so there is nothing to sync.</summary>
        public static void SyncTransforms() { }

        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance,
            int layerMask, QueryTriggerInteraction queryTriggerInteraction)
        {
            var unit = direction / direction.magnitude;
            hitInfo = new RaycastHit { distance = float.PositiveInfinity };
            foreach (var gameObject in ShimScene.Objects)
            {
                if (!gameObject.activeInHierarchy || (layerMask & 1) == 0)
                {
                    continue;
                }
                foreach (var collider in gameObject.GetComponents<Collider>())
                {
                    if (!collider.enabled || (collider.isTrigger && queryTriggerInteraction == QueryTriggerInteraction.Ignore))
                    {
                        continue;
                    }
                    var distance = collider.Intersect(origin, unit);
                    if (distance <= maxDistance && distance < hitInfo.distance)
                    {
                        hitInfo = new RaycastHit { distance = distance, collider = collider };
                    }
                }
            }
            return hitInfo.collider != null;
        }
    }

    public class Renderer : Component
    {
        public Material sharedMaterial;
    }

    public class MeshRenderer : Renderer { }

    public class Material : Object
    {
        public Color color;
        public Material() { }
        public Material(Material source) { color = source.color; }
    }

    public struct Color
    {
        public float r;
        public float g;
        public float b;
        public float a;
        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public static Color red { get { return new Color(1f, 0f, 0f, 1f); } }
        public static Color green { get { return new Color(0f, 1f, 0f, 1f); } }
        public static Color blue { get { return new Color(0f, 0f, 1f, 1f); } }
        public static Color yellow { get { return new Color(1f, 0.92f, 0.016f, 1f); } }
        public static Color cyan { get { return new Color(0f, 1f, 1f, 1f); } }
    }

    /// <summary>The player's input, as the driver sets it: two axes and the keys held down.</summary>
    public class Input
    {
        static float s_Horizontal;
        static float s_Vertical;
        static KeyCode[] s_Held = new KeyCode[0];

        public static void Set(float horizontal, float vertical, KeyCode[] held)
        {
            s_Horizontal = horizontal;
            s_Vertical = vertical;
            s_Held = held;
        }

        public static float GetAxis(string axisName) { return GetAxisRaw(axisName); }
        public static float GetAxisRaw(string axisName) { return axisName == "Horizontal" ? s_Horizontal : s_Vertical; }
        public static bool GetKey(KeyCode key) { return Array.IndexOf(s_Held, key) >= 0; }
    }

    public enum KeyCode { None = 0, LeftShift = 304 }

    public class Debug
    {
        public static void Log(object message) { Console.Error.WriteLine(message); }
        public static void LogWarning(object message) { Console.Error.WriteLine(message); }
        public static void LogException(Exception exception) { Console.Error.WriteLine(exception); }
    }

    public interface ISerializationCallbackReceiver
    {
        void OnBeforeSerialize();
        void OnAfterDeserialize();
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public class TooltipAttribute : Attribute
    {
        public TooltipAttribute(string tooltip) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class HideInInspector : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class RangeAttribute : Attribute
    {
        public RangeAttribute(float min, float max) { }
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class RequireComponent : Attribute
    {
        public Type m_Type0;
        public RequireComponent(Type requiredComponent) { m_Type0 = requiredComponent; }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public class DefaultExecutionOrder : Attribute
    {
        public DefaultExecutionOrder(int order) { this.order = order; }
        public int order { get; private set; }
    }
}

namespace UnityEngine.SceneManagement
{
    public struct Scene
    {
        public string path { get; internal set; }
    }
}
