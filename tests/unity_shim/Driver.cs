// Runs a generated scene under the engine shim, line by line over stdin/stdout, for the differential
// test. Usage: mono Driver.exe <Editor assembly> <scene builder class> <seed> <num areas>
//
// It builds the scene with the generated scene builder, connects the Academy as a trainer asking for
// <num areas> would, enters play mode (the area replicator adds the areas) and answers "scene
// areas=<agents>". Then it steps the Academy until told to quit. Every observation an Agent sends is
// a line "info <agent> <done> <max step reached> <reward> <observations> <stats> <scene>", agents
// numbered in the order their areas were made; each step reads one decision per agent, in the
// order the Agents sent theirs. A decision is
// read as a line "act <actions> <environment parameters>", or "heuristic <axes> <keys held>
// <environment parameters>" (the Agent's Heuristic decides from that input and the driver answers
// "heuristic <actions>"), or "quit". Fields are tab-separated, lists comma-separated, parameters
// key=value;...
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Unity.MLAgents;
using Unity.MLAgents.Actuators;
using UnityEngine;

static class Driver
{
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    static int Main(string[] args)
    {
        var builder = Assembly.LoadFrom(args[0]).GetType(args[1], true);
        UnityEngine.Random.InitState(int.Parse(args[2], CultureInfo.InvariantCulture));
        builder.GetMethod("BuildScene").Invoke(null, null);
        Academy.Instance.Connect(int.Parse(args[3], CultureInfo.InvariantCulture));
        Academy.Instance.Policy = new LinePolicy();
        ShimScene.Play();
        Console.Out.WriteLine("scene\tareas=" + LinePolicy.Agents.Count);
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

    internal static string Number(float value) { return value.ToString("R", CultureInfo.InvariantCulture); }

    class QuitException : Exception { }

    class LinePolicy : IShimPolicy
    {
        /// <summary>Every Agent of the scene, in the order their areas were made (the base area first).</summary>
        public static List<Agent> Agents
        {
            get { return ShimScene.Objects.SelectMany(o => o.GetComponents<Agent>()).ToList(); }
        }

        public void RequestDecision(Agent agent, AgentInfo info)
        {
            var stats = Academy.Instance.StatsRecorder.Recorded;
            var fields = new[]
            {
                "info", Agents.IndexOf(agent).ToString(CultureInfo.InvariantCulture), info.done ? "1" : "0", info.maxStepReached ? "1" : "0", Number(info.reward),
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
            foreach (var pair in fields[fields.Length - 1].Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=');
                Academy.Instance.EnvironmentParameters.Set(parts[0], float.Parse(parts[1], CultureInfo.InvariantCulture));
            }
            var continuous = storedActions.ContinuousActions;
            var discrete = storedActions.DiscreteActions;
            if (fields[0] == "heuristic")
            {
                var axes = fields[1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var held = fields[2].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                    .Select(k => (KeyCode)Enum.Parse(typeof(KeyCode), k)).ToArray();
                Input.Set(axes[0], axes[1], held);
                agent.Heuristic(storedActions);
                var chosen = continuous.Length > 0
                    ? Enumerable.Range(0, continuous.Length).Select(i => Number(continuous[i]))
                    : Enumerable.Range(0, discrete.Length).Select(i => discrete[i].ToString(CultureInfo.InvariantCulture));
                Console.Out.WriteLine("heuristic\t" + string.Join(",", chosen));
                Console.Out.Flush();
                return;
            }
            var values = fields[1].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
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
