// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Keeps the rollouts across restarts in <c>rollouts.json</c> beside the embedded store (crash-safe replacement, snake_case
/// JSON); with the Redis store the replicas share <see cref="RedisRolloutState"/> instead.
/// An unreadable file is moved aside to <c>rollouts.json.unreadable</c> and the control plane starts without rollouts.
/// </summary>
internal sealed class RolloutStateFile : IRolloutStateStore
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "rollouts.json";

    private readonly string? _path;

    /// <summary>A state file at <paramref name="path"/>, or none (null).</summary>
    public RolloutStateFile(string? path)
    {
        _path = path;
    }

    /// <summary>True when the state is written to a file.</summary>
    public bool Enabled => _path is not null;

    /// <summary>Where the state is written, or null.</summary>
    public string? Path => _path;

    /// <inheritdoc/>
    public string? Location => _path;

    /// <inheritdoc/>
    public bool Shared => false;

    /// <summary>The saved state; null without a file (or without a state file at all). An unreadable file is moved aside and null returned with its error.</summary>
    public RolloutState? Load(out string? error)
    {
        error = null;
        if (_path is null || !File.Exists(_path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RolloutState>(File.ReadAllBytes(_path), StoreJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or IOException)
        {
            error = ex.Message;
            File.Move(_path, _path + ".unreadable", overwrite: true);
            return null;
        }
    }

    /// <summary>Replaces the saved state (nothing without a file).</summary>
    public Task SaveAsync(RolloutState state, CancellationToken cancellationToken) => _path is null
        ? Task.CompletedTask
        : AtomicFile.WriteAsync(_path, JsonSerializer.SerializeToUtf8Bytes(state, StoreJson.Options), cancellationToken);
}
