// The UnityEditor calls a generated scene builder makes, for the differential test: a new scene
// empties the shim's scene, saving records the path, and nothing is written but the folder the
// builder creates itself.
using System;
using UnityEngine;

namespace UnityEditor
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class MenuItem : Attribute
    {
        public MenuItem(string itemName) { }
    }

    public class EditorBuildSettingsScene
    {
        public EditorBuildSettingsScene(string path, bool enabled) { this.path = path; this.enabled = enabled; }
        public string path { get; set; }
        public bool enabled { get; set; }
    }

    public class EditorBuildSettings
    {
        public static EditorBuildSettingsScene[] scenes { get; set; }
    }

    public sealed class AssetDatabase
    {
        public static void SaveAssets() { }
    }
}

namespace UnityEditor.SceneManagement
{
    public enum NewSceneSetup { EmptyScene, DefaultGameObjects }

    public enum NewSceneMode { Single, Additive }

    public sealed class EditorSceneManager
    {
        public static string SavedPath { get; private set; }

        public static UnityEngine.SceneManagement.Scene NewScene(NewSceneSetup setup, NewSceneMode mode)
        {
            ShimScene.Objects.Clear();
            if (setup == NewSceneSetup.DefaultGameObjects)
            {
                new GameObject("Main Camera");
                new GameObject("Directional Light");
            }
            return new UnityEngine.SceneManagement.Scene();
        }

        public static bool SaveScene(UnityEngine.SceneManagement.Scene scene, string dstScenePath)
        {
            SavedPath = dstScenePath;
            return true;
        }
    }
}
