using System.Text;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Files;
using CniSharp.Interop;

namespace CniSharp.Attachments;

/// <summary>
/// One network's attachment records: &lt;stateDir&gt;/&lt;network&gt;/attachments/&lt;containerId&gt;-&lt;ifname&gt;.json
/// (libcni's result-cache naming, familiar to operators), plus "boot_id", the boot that last swept the records,
/// and "lock". Each record is replaced atomically (temp file + rename), so a crash leaves the old record or
/// the new one. The records are CniSharp's own: none is named like an IP address or holds host-local's
/// "id\r\nifname" content, so a host-local store in the same tree never mistakes one for a reservation.
/// </summary>
internal sealed class AttachmentStore
{
    public const string AttachmentsDirName = "attachments";
    public const string BootStampName = "boot_id";
    public const string LockName = "lock";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public AttachmentStore(string stateDir, string network)
    {
        NetworkDir = Path.Combine(stateDir, network);
        AttachmentsDir = Path.Combine(NetworkDir, AttachmentsDirName);
    }

    public string NetworkDir { get; }

    public string AttachmentsDir { get; }

    public static string FileNameFor(string containerId, string ifName) => $"{containerId}-{ifName}.json";

    public string PathFor(string containerId, string ifName) => Path.Combine(AttachmentsDir, FileNameFor(containerId, ifName));

    /// <summary>The record of this attachment, or null when there is none (or it is not a record of this attachment).</summary>
    public AttachmentRecord? TryRead(string containerId, string ifName)
    {
        string path = PathFor(containerId, ifName);
        AttachmentRecord? record = Parse(SmallFile.TryRead(path));
        return record is not null && record.ContainerId == containerId && record.IfName == ifName ? record : null;
    }

    public void Write(AttachmentRecord record) => Guard("write an attachment record", () =>
    {
        CreateDirectory(AttachmentsDir);
        SmallFile.Replace(PathFor(record.ContainerId, record.IfName), record.ToJson(), FileModes.OwnerReadWrite);
        return true;
    });

    /// <summary>Removes the record; true when there was one. Missing directories are fine (DEL is idempotent).</summary>
    public bool Delete(string containerId, string ifName) => Guard("remove an attachment record", () =>
    {
        string path = PathFor(containerId, ifName);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    });

    /// <summary>
    /// Every record file, parsed; a file that does not parse, or whose content names another attachment than
    /// its file name, comes back with a null record so the caller can report it. Temp files whose writer is no
    /// longer running are removed on the way (safe with or without <see cref="Lock"/>: nobody owns them).
    /// </summary>
    public List<(string Path, AttachmentRecord? Record)> List()
    {
        var entries = new List<(string, AttachmentRecord?)>();
        if (!Directory.Exists(AttachmentsDir)) return entries;
        Guard("read the attachment records", () =>
        {
            foreach (string path in Directory.EnumerateFiles(AttachmentsDir, "*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                string name = Path.GetFileName(path);
                if (SmallFile.IsAbandonedTemp(name))
                {
                    File.Delete(path);
                    continue;
                }
                if (name.StartsWith('.') || !name.EndsWith(".json", StringComparison.Ordinal)) continue;
                AttachmentRecord? record = Parse(SmallFile.TryRead(path));
                bool consistent = record is not null && FileNameFor(record.ContainerId, record.IfName) == name;
                entries.Add((path, consistent ? record : null));
            }
            return true;
        });
        entries.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return entries;
    }

    /// <summary>The boot id that last swept this network's records, or null before the first sweep.</summary>
    public string? ReadBootStamp() => SmallFile.TryRead(Path.Combine(NetworkDir, BootStampName))?.Trim();

    public void WriteBootStamp(string bootId) => Guard("write the boot stamp", () =>
    {
        CreateDirectory(NetworkDir);
        SmallFile.Replace(Path.Combine(NetworkDir, BootStampName), Encoding.ASCII.GetBytes(bootId + "\n"), FileModes.OwnerReadWrite);
        return true;
    });

    /// <summary>Serialises the sweeps (boot reclaim, GC, "cnisharp gc") of this network; blocking flock.</summary>
    public IDisposable Lock() => Guard("lock", () =>
    {
        CreateDirectory(NetworkDir);
        SafeFileDescriptor fd = FileLock.Acquire(Path.Combine(NetworkDir, LockName));
        return (IDisposable)fd;
    });

    /// <summary>Checks that records can be written here: STATUS's "could an ADD succeed" for the state directory.</summary>
    public void ProbeWritable() => Guard("write", () =>
    {
        CreateDirectory(AttachmentsDir);
        string probe = SmallFile.TempPathFor(Path.Combine(AttachmentsDir, "status-probe"));
        SmallFile.WriteNew(probe, [], FileModes.OwnerReadWrite);
        File.Delete(probe);
        return true;
    });

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("attachment records need a Unix file system");
        Directory.CreateDirectory(path, DirectoryMode);
    }

    private static AttachmentRecord? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            AttachmentRecord? record = JsonSerializer.Deserialize(json, StateJsonContext.Default.AttachmentRecord);
            return record is { ContainerId.Length: > 0, IfName.Length: > 0 } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>File-system failures become code 5 naming the directory, the one thing an operator can fix.</summary>
    private T Guard<T>(string operation, Func<T> action) =>
        FileErrors.Guard(CniErrorCode.IOFailure, $"failed to {operation} in the state directory {NetworkDir}", action);
}
