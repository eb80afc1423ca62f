// Runs a generated scene under the engine shim, line by line over stdin/stdout, for the differential
// test. Usage: mono Driver.exe <Editor assembly> <scene builder class> <seed>
//
// It builds the scene with the generated scene builder, starts it (Awake, then OnEnable, in script
// execution order) and steps the Academy until told to quit. Every observation the Agent sends is a
// line "info <done> <max step reached> <reward> <observations> <stats> <scene>"; every decision is
// read as a line "act <actions> <environment parameters>" (tab-separated, lists comma-separated,
// parameters as key=value;...), or "quit".
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Unity.MLAgents;
using Unity.MLAgents.Actuators;
using Unity.MLAgents.Areas;
using UnityEngine;

static class Driver
{
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    static int Main(string[] args)
    {
        var builder = Assembly.LoadFrom(args[0]).GetType(args[1], true);
        UnityEngine.Random.InitState(int.Parse(args[2], CultureInfo.InvariantCulture));
        builder.GetMethod("BuildScene").Invoke(null, null);
        var replicator = ShimScene.Objects.SelectMany(o => o.GetComponents<TrainingAreaReplicator>()).Single();
        Console.Out.WriteLine("scene\treplicates_in_editor=" + (replicator.ReplicatesInEditor ? 1 : 0));
        var policy = new LinePolicy();
        Academy.Instance.Policy = policy;
        Play();
        try
        {
            while (true)
            {
                Academy.Instance.EnvironmentStep();
            }
        }
        catch (QuitException)
        {
            return 0;
        }
    }

    /// <summary>Awake, then OnEnable, of every script, in the order DefaultExecutionOrder gives.</summary>
    static void Play()
    {
        var scripts = ShimScene.Objects.SelectMany(o => o.Components).OfType<MonoBehaviour>()
            .OrderBy(ExecutionOrder).ToList();
        foreach (var script in scripts)
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

    internal static string Number(float value) { return value.ToString("R", CultureInfo.InvariantCulture); }

    class QuitException : Exception { }

    class LinePolicy : IShimPolicy
    {
        public void RequestDecision(Agent agent, AgentInfo info)
        {
            var stats = Academy.Instance.StatsRecorder.Recorded;
            var fields = new[]
            {
                "info", info.done ? "1" : "0", info.maxStepReached ? "1" : "0", Number(info.reward),
                string.Join(",", info.observations.Select(Number)),
                string.Join(";", stats.Select(s => s.Key + "=" + Number(s.Value))),
                DescribeArea(agent),
            };
            stats.Clear();
            Console.Out.WriteLine(string.Join("\t", fields));
            Console.Out.Flush();
        }

        public void DecideAction(Agent agent, ActionBuffers storedActions)
        {
            var line = Console.In.ReadLine();
            if (line == null || line == "quit")
            {
                throw new QuitException();
            }
            var fields = line.Split('\t');
            foreach (var pair in fields[2].Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=');
                Academy.Instance.EnvironmentParameters.Set(parts[0], float.Parse(parts[1], CultureInfo.InvariantCulture));
            }
            var values = fields[1].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
            var continuous = storedActions.ContinuousActions;
            var discrete = storedActions.DiscreteActions;
            for (var i = 0; i < values.Length; i++)
            {
                if (continuous.Length > 0)
                {
                    continuous[i] = float.Parse(values[i], CultureInfo.InvariantCulture);
                }
                else
                {
                    discrete[i] = int.Parse(values[i], CultureInfo.InvariantCulture);
                }
            }
        }

        /// <summary>name=x,z,active,scale for every object of the agent's area, then obstacle velocities.</summary>
        static string DescribeArea(Agent agent)
        {
            var area = agent.transform.parent;
            var parts = ShimScene.Objects.Where(o => o.transform.parent == area).Select(o =>
                o.name + "=" + Number(o.transform.localPosition.x) + "," + Number(o.transform.localPosition.z) + ","
                + (o.activeSelf ? "1" : "0") + "," + Number(o.transform.localScale.x)).ToList();
            var velocities = agent.GetType().GetField("m_ObstacleVelocities", Members);
            if (velocities != null)
            {
                var values = (Vector3[])velocities.GetValue(agent);
                parts.Add("ObstacleVelocities=" + string.Join(",", values.Select(v => Number(v.x) + "," + Number(v.z))));
            }
            return string.Join(";", parts);
        }
    }
}
