namespace CniSharp.Files;

/// <summary>Permission bits of the files CniSharp writes.</summary>
internal static class FileModes
{
    /// <summary>
    /// 0600: reservations, attachment records and lock files name the pods, their netns paths and addresses;
    /// nobody but root reads them (the reference host-local uses 0600 too, since plugins 33ccedc6).
    /// </summary>
    public const uint OwnerReadWrite = 0x180;
}
