using System.Globalization;
using System.IO.Enumeration;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using CniSharp.Interop;

namespace CniSharp.Ipam.HostLocal;

// File-level helpers. Reads and writes go through open(2)/read(2)/write(2) directly: .NET's FileStream takes
// its own flock on every open, which costs syscalls on the ADD hot path and is pointless here.
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

    /// <summary>The whole (small) file as UTF-8, or null when it does not exist or cannot be read.</summary>
    private static unsafe string? TryReadFile(string path)
    {
        SafeFileDescriptor fd;
        try
        {
            fd = LibC.open(path, LibC.OpenFlags.O_RDONLY | LibC.OpenFlags.O_NOFOLLOW);
        }
        catch (UnixException)
        {
            return null;
        }
        using (fd)
        {
            byte[] buffer = new byte[256];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                nint n;
                fixed (byte* p = &buffer[length])
                    n = LibC.read(fd, p, (nuint)(buffer.Length - length));
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == (int)Errno.EINTR) continue;
                    return null;
                }
                if (n == 0) break;
                length += (int)n;
                // A short read of a regular file is its end: saves the read(2) that would return 0, per file, per scan.
                if (length < buffer.Length) break;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    /// <summary>Writes content to a fresh, not IP-shaped temp file in the store directory and returns its path.</summary>
    private string WriteTempFile(string content)
    {
        string path = PathOf(string.Create(CultureInfo.InvariantCulture,
            $"{TempPrefix}{Environment.ProcessId}-{Random.Shared.NextInt64():x16}{TempSuffix}"));
        using SafeFileDescriptor fd = LibC.open(path,
            LibC.OpenFlags.O_WRONLY | LibC.OpenFlags.O_CREAT | LibC.OpenFlags.O_EXCL | LibC.OpenFlags.O_NOFOLLOW, FileMode);
        try
        {
            WriteAll(fd, Encoding.UTF8.GetBytes(content), path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return path;
    }

    private static unsafe void WriteAll(SafeFileDescriptor fd, byte[] bytes, string path)
    {
        int written = 0;
        while (written < bytes.Length)
        {
            nint n;
            fixed (byte* p = &bytes[written])
                n = LibC.write(fd, p, (nuint)(bytes.Length - written));
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == (int)Errno.EINTR) continue;
                throw new UnixException(errno, "write", path);
            }
            written += (int)n;
        }
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
