using CniSharp.Cni;
using CniSharp.Files;
using CniSharp.Interop;

namespace CniSharp.Tests.Files;

public class FileErrorsTests
{
    public static TheoryData<Exception> FileSystemFailures() =>
    [
        new IOException("disk full"),
        new DirectoryNotFoundException("no such directory"),
        new UnauthorizedAccessException("permission denied"),
        new UnixException((int)Errno.EACCES, "open", "/x"),
    ];

    [Theory]
    [MemberData(nameof(FileSystemFailures))]
    public void Guard_TurnsFileSystemFailuresIntoTheGivenCode_NamingWhatFailedAndWhy(Exception failure)
    {
        var e = Assert.Throws<CniException>(() => FileErrors.Guard<int>(CniErrorCode.NotAvailable, "data dir /d is unusable", () => throw failure));
        Assert.Equal(CniErrorCode.NotAvailable, e.Code);
        Assert.Equal($"data dir /d is unusable: {failure.Message}", e.Message);
        Assert.Equal(failure.GetType().Name, e.Details);
        Assert.Same(failure, e.InnerException);
    }

    [Fact]
    public void Guard_LetsEverythingElseThrough_AndReturnsTheValue()
    {
        Assert.Throws<InvalidOperationException>(() => FileErrors.Guard(CniErrorCode.IOFailure, "x", () => throw new InvalidOperationException()));
        Assert.Equal(42, FileErrors.Guard(CniErrorCode.IOFailure, "x", () => 42));
    }
}
