// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Injection;

/// <summary>
/// The webhook listener's certificate, loaded from PEM files and reloaded when they change (cert-manager and
/// similar rotate them in place), checked at most once per <see cref="WebhookOptions.CertificateReloadInterval"/>
/// during TLS handshakes. A file that fails to load keeps the previous certificate and logs a warning.
/// </summary>
internal sealed class WebhookCertificate : IDisposable
{
    private readonly string certificatePath;
    private readonly string keyPath;
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private X509Certificate2 current;
    private DateTime certificateWritten;
    private DateTime keyWritten;
    private long nextCheck;

    public WebhookCertificate(string certificatePath, string keyPath, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        this.certificatePath = certificatePath;
        this.keyPath = keyPath;
        this.interval = interval;
        this.time = time;
        this.logger = logger;
        certificateWritten = File.GetLastWriteTimeUtc(certificatePath);
        keyWritten = File.GetLastWriteTimeUtc(keyPath);
        current = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        nextCheck = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The certificate to present (reloading it first when the files changed).</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (time.GetTimestamp() < Volatile.Read(ref nextCheck))
            {
                return current;
            }

            lock (gate)
            {
                nextCheck = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
                var certificate = File.GetLastWriteTimeUtc(certificatePath);
                var key = File.GetLastWriteTimeUtc(keyPath);
                if (certificate != certificateWritten || key != keyWritten)
                {
                    try
                    {
                        current = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                        certificateWritten = certificate;
                        keyWritten = key;
                        InjectionLog.CertificateReloaded(logger, current.Subject, current.NotAfter);
                    }
                    catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
                    {
                        InjectionLog.CertificateReloadFailed(logger, e.Message);
                    }
                }

                return current;
            }
        }
    }

    public void Dispose() => current.Dispose();
}
