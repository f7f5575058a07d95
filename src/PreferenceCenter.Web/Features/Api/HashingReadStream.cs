using System.Security.Cryptography;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>
/// Passes a request body through unchanged while hashing it (SHA-256), so it is never held whole; past
/// <paramref name="maxBytes"/> it refuses to read on (413), whatever the server's own limit is.
/// </summary>
internal sealed class HashingReadStream(Stream inner, long maxBytes = long.MaxValue) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Lowercase hex SHA-256 of everything read so far.</summary>
    public string HashHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count(read);
        _hash.AppendData(buffer, offset, read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Count(read);
        _hash.AppendData(buffer.Span[..read]);
        return read;
    }

    private void Count(int read)
    {
        _read += read;
        if (_read > maxBytes)
        {
            throw new BadHttpRequestException($"The request body is over {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // The request body belongs to the server: only the hash is ours to release.
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
