using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CniSharp.Interop;

namespace CniSharp.Files;

/// <summary>
/// Whole-file reads and writes of the few-hundred-byte files CniSharp keeps on disk, through open(2)/read(2)/
/// write(2) directly: .NET's FileStream takes its own flock on every open, syscalls the ADD hot path does not need.
/// </summary>
internal static class SmallFile
{
    /// <summary>The whole file as UTF-8, or null when it does not exist or cannot be read. Never follows a symlink.</summary>
    public static unsafe string? TryRead(string path)
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
            byte[] buffer = new byte[512];
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
                // A short read of a regular file is its end: saves the read(2) that would return 0.
                if (length < buffer.Length) break;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new file (O_EXCL, mode <paramref name="mode"/>) that is not there yet,
    /// removing it again if the write fails, so no caller ever sees a half-written file under that name.
    /// </summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes, uint mode)
    {
        using SafeFileDescriptor fd = LibC.open(path,
            LibC.OpenFlags.O_WRONLY | LibC.OpenFlags.O_CREAT | LibC.OpenFlags.O_EXCL | LibC.OpenFlags.O_NOFOLLOW, mode);
        try
        {
            WriteAll(fd, bytes, path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> atomically: a complete temp file in the same directory, then rename(2).
    /// A crash leaves the old file or the new one, never a torn one; the temp name embeds our pid so a later
    /// scan can tell an abandoned temp file from one being written (<see cref="IsAbandonedTemp"/>).
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes, uint mode)
    {
        string temp = TempPathFor(path);
        WriteNew(temp, bytes, mode);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private const string TempSuffix = ".tmp";

    /// <summary>".&lt;name&gt;.&lt;pid&gt;-&lt;random&gt;.tmp" beside the file: a dot-file, never mistaken for the real one.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, string.Create(CultureInfo.InvariantCulture,
            $".{Path.GetFileName(path)}.{Environment.ProcessId}-{Random.Shared.Next():x8}{TempSuffix}"));

    /// <summary>True for a temp file of <see cref="Replace"/> whose writer is no longer running.</summary>
    public static bool IsAbandonedTemp(string fileName)
    {
        if (!fileName.StartsWith('.') || !fileName.EndsWith(TempSuffix, StringComparison.Ordinal)) return false;
        string stem = fileName[..^TempSuffix.Length];
        int dot = stem.LastIndexOf('.');
        int dash = stem.LastIndexOf('-');
        if (dot < 0 || dash < dot) return false;
        return !int.TryParse(stem.AsSpan(dot + 1, dash - dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || !Directory.Exists($"/proc/{pid}");
    }

    private static unsafe void WriteAll(SafeFileDescriptor fd, ReadOnlySpan<byte> bytes, string path)
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
}
