// API stubs of the UnityEditor 6000.0 types generated Editor scripts (scene builder, build script)
// may use: public signatures only, written from the documented API (UnityCsReference, branch
// 6000.0). Bodies are empty or throw: this assembly is for compiling against, never for running.
using System;
using UnityEngine;
using UnityEngine.SceneManagement;

namespace UnityEditor
{
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class MenuItem : Attribute
    {
        public string menuItem;
        public bool validate;
        public int priority;
        public MenuItem(string itemName) { }
        public MenuItem(string itemName, bool isValidateFunction) { }
        public MenuItem(string itemName, bool isValidateFunction, int priority) { }
    }

    public class EditorBuildSettingsScene : IComparable
    {
        public EditorBuildSettingsScene() { }
        public EditorBuildSettingsScene(string path, bool enabled) { }
        public bool enabled { get { throw null; } set { } }
        public string path { get { throw null; } set { } }
        public int CompareTo(object obj) { throw null; }
    }

    public partial class EditorBuildSettings : UnityEngine.Object
    {
        public static EditorBuildSettingsScene[] scenes { get { throw null; } set { } }
    }

    public sealed partial class AssetDatabase
    {
        public static void SaveAssets() { }
        public static void Refresh() { }
        public static void CreateAsset(UnityEngine.Object asset, string path) { }
        public static string CreateFolder(string parentFolder, string newFolderName) { throw null; }
        public static bool IsValidFolder(string path) { throw null; }
        public static T LoadAssetAtPath<T>(string assetPath) where T : UnityEngine.Object { throw null; }
    }

    public enum BuildTarget
    {
        NoTarget = -2,
        StandaloneOSX = 2,
        StandaloneWindows = 5,
        iOS = 9,
        Android = 13,
        StandaloneWindows64 = 19,
        WebGL = 20,
        StandaloneLinux64 = 24,
    }

    public enum BuildTargetGroup { Unknown = 0, Standalone = 1, iOS = 4, Android = 7, WebGL = 13 }

    [Flags]
    public enum BuildOptions
    {
        None = 0,
        Development = 1 << 0,
        AutoRunPlayer = 1 << 2,
        ShowBuiltPlayer = 1 << 3,
        BuildAdditionalStreamedScenes = 1 << 4,
        AcceptExternalModificationsToPlayer = 1 << 5,
        ConnectWithProfiler = 1 << 8,
        AllowDebugging = 1 << 9,
        StrictMode = 1 << 16,
        DetailedBuildReport = 1 << 29,
    }

    public enum StandaloneBuildSubtarget { Default = 0, Player = 2, Server = 1 }

    public struct BuildPlayerOptions
    {
        public string[] scenes { get; set; }
        public string locationPathName { get; set; }
        public string assetBundleManifestPath { get; set; }
        public BuildTargetGroup targetGroup { get; set; }
        public BuildTarget target { get; set; }
        public int subtarget { get; set; }
        public BuildOptions options { get; set; }
        public string[] extraScriptingDefines { get; set; }
    }

    public class BuildPipeline
    {
        public static UnityEditor.Build.Reporting.BuildReport BuildPlayer(BuildPlayerOptions buildPlayerOptions) { throw null; }
        public static UnityEditor.Build.Reporting.BuildReport BuildPlayer(string[] levels, string locationPathName, BuildTarget target, BuildOptions options) { throw null; }
        public static UnityEditor.Build.Reporting.BuildReport BuildPlayer(EditorBuildSettingsScene[] levels, string locationPathName, BuildTarget target, BuildOptions options) { throw null; }
        public static bool isBuildingPlayer { get { throw null; } }
    }

    public sealed partial class EditorApplication
    {
        public static bool isPlaying { get { throw null; } set { } }
        public static bool isCompiling { get { throw null; } }
        public static void Exit(int returnValue) { }
        public static void EnterPlaymode() { }
        public static void ExitPlaymode() { }
    }

    public partial class EditorUserBuildSettings
    {
        public static BuildTarget activeBuildTarget { get { throw null; } }
        public static StandaloneBuildSubtarget standaloneBuildSubtarget { get { throw null; } set { } }
        public static bool SwitchActiveBuildTarget(BuildTargetGroup targetGroup, BuildTarget target) { throw null; }
    }
}

namespace UnityEditor.SceneManagement
{
    public enum NewSceneSetup { EmptyScene, DefaultGameObjects }

    public enum NewSceneMode { Single, Additive }

    public enum OpenSceneMode { Single, Additive, AdditiveWithoutLoading }

    public sealed partial class EditorSceneManager : SceneManager
    {
        public static Scene NewScene(NewSceneSetup setup) { throw null; }
        public static Scene NewScene(NewSceneSetup setup, NewSceneMode mode) { throw null; }
        public static Scene OpenScene(string scenePath) { throw null; }
        public static Scene OpenScene(string scenePath, OpenSceneMode mode) { throw null; }
        public static bool SaveScene(Scene scene) { throw null; }
        public static bool SaveScene(Scene scene, string dstScenePath) { throw null; }
        public static bool SaveScene(Scene scene, string dstScenePath, bool saveAsCopy) { throw null; }
        public static bool SaveOpenScenes() { throw null; }
        public static bool MarkSceneDirty(Scene scene) { throw null; }
    }
}

namespace UnityEditor.Build.Reporting
{
    public enum BuildResult { Unknown = 0, Succeeded = 1, Failed = 2, Cancelled = 3 }

    public struct BuildSummary
    {
        public DateTime buildStartedAt { get { throw null; } }
        public DateTime buildEndedAt { get { throw null; } }
        public TimeSpan totalTime { get { throw null; } }
        public BuildTarget platform { get { throw null; } }
        public BuildOptions options { get { throw null; } }
        public string outputPath { get { throw null; } }
        public ulong totalSize { get { throw null; } }
        public int totalErrors { get { throw null; } }
        public int totalWarnings { get { throw null; } }
        public BuildResult result { get { throw null; } }
    }

    public sealed class BuildReport : UnityEngine.Object
    {
        public BuildSummary summary { get { throw null; } }
    }
}
