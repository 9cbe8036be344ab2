// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.Sidecar.Bus;

/// <summary>Reads the static agent directory from <c>ACGS_BUS_DIRECTORY</c> or a JSON file.</summary>
internal static class BusDirectoryParser
{
    /// <summary>Parses <c>agentA=127.0.0.1:8080,agentB=127.0.0.1:18080</c>.</summary>
    public static void ParseList(string list, Dictionary<string, string> into, List<string> problems)
    {
        foreach (var entry in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == entry.Length - 1)
            {
                problems.Add($"{BusOptions.DirectoryVariable} entry '{entry}' must be agent=host:port");
                continue;
            }

            into[entry[..eq].Trim()] = entry[(eq + 1)..].Trim();
        }
    }

    /// <summary>Reads <c>{"constitutional_hash": "...", "agents": {"agentA": "127.0.0.1:8080"}}</c>.</summary>
    public static void ReadFile(string path, Dictionary<string, string> into, List<string> problems)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("agents", out var agents) || agents.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{BusOptions.DirectoryFileVariable} '{path}' needs an \"agents\" object");
                return;
            }

            foreach (var agent in agents.EnumerateObject())
            {
                if (agent.Value.ValueKind == JsonValueKind.String)
                {
                    into[agent.Name] = agent.Value.GetString()!;
                }
                else
                {
                    problems.Add($"{BusOptions.DirectoryFileVariable}: address of '{agent.Name}' must be a string");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            problems.Add($"{BusOptions.DirectoryFileVariable} '{path}' cannot be read: {ex.Message}");
        }
    }
}
