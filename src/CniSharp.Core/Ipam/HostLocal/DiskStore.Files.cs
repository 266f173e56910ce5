using System.Globalization;
using System.IO.Enumeration;
using System.Net;
using System.Text;
using CniSharp.Files;

namespace CniSharp.Ipam.HostLocal;

// File-level helpers (SmallFile: open(2)/read(2)/write(2) directly, no FileStream flock on the hot path).
internal sealed partial class DiskStore
{
    private static readonly EnumerationOptions ScanOptions = new()
    {
        AttributesToSkip = 0, // the default skips dot-files, and our temp files are dot-files
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
    };

    /// <summary>
    /// Reads every reservation once (the reference reads the whole directory on every lookup) and removes temp
    /// files of writers that crashed: any temp file still present while we hold the lock is abandoned.
    /// </summary>
    private Dictionary<IPAddress, string> Scan()
    {
        var owners = new Dictionary<IPAddress, string>();
        var names = new FileSystemEnumerable<string>(Directory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), ScanOptions)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
        };
        foreach (string name in names)
        {
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                File.Delete(PathOf(name));
                continue;
            }
            // Only files named exactly like an address are reservations ("lock" and the markers are not).
            if (!IpText.TryParseCanonical(name, out IPAddress address)) continue;
            string? content = TryReadFile(PathOf(name));
            // Go compares strings.TrimSpace(content); an empty result marks a reservation whose write never happened.
            if (content is not null) owners[address] = content.Trim();
        }
        return owners;
    }

    private static string? TryReadFile(string path) => SmallFile.TryRead(path);

    /// <summary>Writes content to a fresh, not IP-shaped temp file in the store directory and returns its path.</summary>
    private string WriteTempFile(string content)
    {
        string path = PathOf(string.Create(CultureInfo.InvariantCulture,
            $"{TempPrefix}{Environment.ProcessId}-{Random.Shared.NextInt64():x16}{TempSuffix}"));
        SmallFile.WriteNew(path, Encoding.UTF8.GetBytes(content), FileModes.OwnerReadWrite);
        return path;
    }

    /// <summary>
    /// The round-robin marker, replaced atomically. Not fsynced: it is only a hint, and the reference itself
    /// says a wrong marker "just loses round-robin this one time".
    /// </summary>
    private void WriteLastReserved(int rangeSetIndex, string addressText)
    {
        string temp = WriteTempFile(addressText);
        try
        {
            File.Move(temp, PathOf(LastReservedPrefix + rangeSetIndex.ToString(CultureInfo.InvariantCulture)), overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
