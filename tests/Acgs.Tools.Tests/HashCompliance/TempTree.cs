// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Tools.Tests.HashCompliance;

/// <summary>A temporary directory tree of marked files, checked by running the real script on it.</summary>
internal sealed class TempTree : IDisposable
{
    /// <summary>The hash every file must carry (the script's default).</summary>
    public const string Expected = "cdd01ef066bc6cf2";

    private const string Label = "Constitutional Hash: ";

    public TempTree()
    {
        Root = Directory.CreateTempSubdirectory("acgs-hashcheck-").FullName;
        Write("deploy/k8s/sidecar.yaml", $"# {Label}{Expected}\napiVersion: v1\nkind: ConfigMap\n");
        Write("config/policy.json", $"{{\n  \"constitutional_hash\": \"{Expected}\",\n  \"name\": \"p\"\n}}\n");
        Write("src/Thing.cs", $"// {Label}{Expected}\n\nnamespace X;\n");
        Write("README.md", $"<!-- {Label}{Expected} -->\n# Readme\n");
        Write("run.sh", $"#!/usr/bin/env bash\n# {Label}{Expected}\necho hi\n");
        Write("Dockerfile", $"# {Label}{Expected}\nFROM scratch\n");
        Write("notes.bin", "not checked: unknown file type\n");
    }

    public string Root { get; }

    /// <summary>
    /// A 16-hex value that is NOT the expected hash: the expected one with one digit changed, built
    /// at runtime so no wrong hash sits next to the label in a committed file.
    /// </summary>
    public static string WrongHash(int position = 15)
    {
        var chars = Expected.ToCharArray();
        chars[position] = chars[position] == '0' ? '1' : '0';
        return new string(chars);
    }

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Runs <c>bash deploy/ci/hash-compliance.sh ROOT</c> with <c>ACGS_HASHCHECK_ALL_FILES=1</c>.</summary>
    public ScriptResult Check() => Run(Root, allFiles: true);

    public static ScriptResult Run(string root, bool allFiles)
    {
        var script = Path.Combine(RepositoryRoot.Path, "deploy", "ci", "hash-compliance.sh");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(root);
        start.Environment.Remove("ACGS_EXPECTED_HASH");
        if (allFiles)
        {
            start.Environment["ACGS_HASHCHECK_ALL_FILES"] = "1";
        }
        else
        {
            start.Environment.Remove("ACGS_HASHCHECK_ALL_FILES");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("hash-compliance.sh did not finish in 2 minutes");
        }

        return new ScriptResult(process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
