// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Watches the bootstrap file by polling (every <see cref="SidecarOptions.ConfigPollInterval"/>,
/// driven by <see cref="TimeProvider"/>; works on every file system, including ConfigMap symlink
/// swaps where change notifications are unreliable). When the content changed it is re-read and
/// applied through <see cref="ConfigApplier.ApplyAsync"/>; a broken file is refused and counted.
/// The <c>sidecar</c> section is read at start only.
/// </summary>
internal sealed partial class ConfigFileWatcher : BackgroundService
{
    private readonly SidecarBootstrap _bootstrap;
    private readonly ConfigApplier _applier;
    private readonly TimeProvider _time;
    private readonly ILogger<ConfigFileWatcher> _logger;
    private byte[]? _lastContent;

    /// <summary>Creates the watcher.</summary>
    public ConfigFileWatcher(SidecarBootstrap bootstrap, ConfigApplier applier, TimeProvider time, ILogger<ConfigFileWatcher> logger)
    {
        _bootstrap = bootstrap;
        _applier = applier;
        _time = time;
        _logger = logger;
        if (bootstrap.Options.ConfigPath is { } path)
        {
            _lastContent = TryReadBytes(path);
        }
    }

    /// <summary>Checks the file once; returns the apply result when the content changed, else null.</summary>
    public async Task<ApplyResult?> CheckOnceAsync(CancellationToken cancellationToken)
    {
        if (_bootstrap.Options.ConfigPath is not { } path || TryReadBytes(path) is not { } content)
        {
            return null;
        }

        if (_lastContent is not null && content.AsSpan().SequenceEqual(_lastContent))
        {
            return null;
        }

        _lastContent = content;
        LogChanged(path);
        var errors = new List<string>();
        if (!ConfigFileReader.TryParse(content, path, errors, out var snapshot, out _) || snapshot is null)
        {
            return _applier.RecordRejection(ConfigSources.File, errors);
        }

        return await _applier.ApplyAsync(_bootstrap.Hash.ApplyTo(snapshot), ConfigSources.File, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_bootstrap.Options.ConfigPath is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(_bootstrap.Options.ConfigPollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                _ = await CheckOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private static byte[]? TryReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // mid-write or briefly missing (atomic rename): try again next tick
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "config file '{Path}' changed, re-applying")]
    private partial void LogChanged(string path);
}
