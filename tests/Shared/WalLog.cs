using System.Buffers.Binary;

namespace PreferenceCenter.Testing;

/// <summary>
/// The frames of a SQLite write-ahead log, read from their headers: which pages the commits since the last checkpoint
/// wrote, one frame per page. Counting them says what a commit costs without timing it (ADR 40).
/// </summary>
public readonly record struct WalLog(ulong Salt, IReadOnlyList<uint> Pages)
{
    private const int HeaderSize = 32;
    private const int FrameHeaderSize = 24;

    public static WalLog Read(string databasePath)
    {
        using var file = new FileStream(databasePath + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        var pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        var salt = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(16));
        var pages = new List<uint>();
        for (var offset = HeaderSize; offset + FrameHeaderSize + pageSize <= bytes.Length; offset += FrameHeaderSize + pageSize)
        {
            // A checkpoint restarts the log with a new salt: frames of the generation before end the current one.
            if (BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(offset + 8)) != salt)
            {
                break;
            }

            pages.Add(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset)));
        }

        return new WalLog(salt, pages);
    }

    /// <summary>The pages written after <paramref name="before"/>; null when a checkpoint restarted the log in between.</summary>
    public IReadOnlyList<uint>? Since(WalLog before) =>
        Salt == before.Salt && Pages.Count >= before.Pages.Count ? Pages.Skip(before.Pages.Count).ToList() : null;
}
