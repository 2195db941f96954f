using System.IO.Compression;
using System.IO.Hashing;

namespace ModelMeter.Import.Compression;

/// <summary>
/// Decompresses a gzip file (RFC 1952), one member after another, and checks what .NET's <see cref="GZipStream"/> does
/// not: that every member ends with its 8-byte trailer and that the trailer's CRC-32 and size match the data. A file cut
/// short (<c>head -c N file.csv.gz</c>) reads to a plausible shorter CSV with a plain read loop; here it ends in an
/// <see cref="InvalidDataException"/> instead, as does a wrong CRC, a bad header, or anything after the last member.
/// The whole compressed stream is read: the end of the data is where the file ends, not where a reader stopped.
/// <para>
/// Each member's deflate data is inflated by a raw <see cref="DeflateStream"/> over a view that hands it bytes in
/// bounded chunks. When the deflate stream ends, its trailer lies in the last chunk handed over (or right after it):
/// it is found there as the CRC-32 and size computed over the member's output, and the next member starts after it.
/// </para>
/// </summary>
public sealed class VerifiedGzipStream : Files.ForwardReadStream
{
    private const int ChunkSize = 1 << 16;

    private readonly Stream _file;
    private readonly ChunkView _view;
    private readonly Crc32 _crc = new();
    private DeflateStream? _member;
    private long _memberLength;
    private int _members;
    private bool _done;

    /// <param name="file">A seekable stream of the whole compressed file, positioned at its start; disposed with this.</param>
    public VerifiedGzipStream(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.CanSeek)
        {
            throw new ArgumentException("A gzip file is verified from a seekable stream.", nameof(file));
        }

        _file = file;
        _view = new ChunkView(file);
        StartMember(first: true);
    }

    public override int Read(Span<byte> buffer)
    {
        while (!_done && !buffer.IsEmpty)
        {
            int read;
            try
            {
                read = _member!.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"the compressed data of member {_members} is corrupt ({e.Message})", e);
            }

            if (read > 0)
            {
                _crc.Append(buffer[..read]);
                _memberLength += read;
                return read;
            }

            if (_view.HitEnd)
            {
                throw new InvalidDataException(
                    $"the file ends inside the compressed data of member {_members}, before its CRC-32 and size trailer: it was cut short (a complete copy is needed)");
            }

            EndMember();
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _member?.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private void StartMember(bool first)
    {
        _members++;
        ReadHeader(first);
        _crc.Reset();
        _memberLength = 0;
        _view.StartAt(_file.Position);
        _member?.Dispose();
        _member = new DeflateStream(_view, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>RFC 1952 section 2.3: magic, method 8 (deflate), flags, then the optional extra field, name, comment and header CRC.</summary>
    private void ReadHeader(bool first)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        var read = _file.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false);
        if (read < 2 || fixedPart[0] != 0x1F || fixedPart[1] != 0x8B)
        {
            throw new InvalidDataException(first
                ? "it does not start with the gzip signature (1F 8B); it is not a gzip file"
                : $"after member {_members - 1} come bytes that are not another gzip member (the file has data after its end)");
        }

        if (read < fixedPart.Length)
        {
            throw new InvalidDataException(first ? "the file is too short to be gzip (no 10-byte header)" : $"member {_members} has a cut header");
        }

        if (fixedPart[2] != 8)
        {
            throw new InvalidDataException($"member {_members} uses compression method {fixedPart[2]}; gzip files use 8 (deflate)");
        }

        var flags = fixedPart[3];
        if ((flags & 0xE0) != 0)
        {
            throw new InvalidDataException($"member {_members} has reserved header flags set; the header is corrupt");
        }

        if ((flags & 0x04) != 0)
        {
            Span<byte> length = stackalloc byte[2];
            if (!ReadFully(length))
            {
                throw Cut();
            }

            Skip(length[0] | (length[1] << 8));
        }

        if ((flags & 0x08) != 0)
        {
            SkipZeroTerminated();
        }

        if ((flags & 0x10) != 0)
        {
            SkipZeroTerminated();
        }

        if ((flags & 0x02) != 0)
        {
            Skip(2);
        }
    }

    /// <summary>The deflate data ended: find the trailer after it, check it, and go on to the next member or to the end.</summary>
    private void EndMember()
    {
        Span<byte> expected = stackalloc byte[8];
        _crc.GetCurrentHash(expected[..4]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], unchecked((uint)_memberLength));

        // The inflater stopped somewhere in the last chunk it was given; the trailer follows at once. Search that chunk and
        // the 8 bytes after it for the first position holding exactly the expected trailer.
        var window = _view.LastChunkWithFollowing(8);
        var at = window.Bytes.AsSpan(0, window.Length).IndexOf(expected);
        if (at < 0)
        {
            throw new InvalidDataException(window.Start + window.Length == _view.FileLength
                ? $"the file ends without the CRC-32 and size trailer of member {_members} that its data needs: it was cut short or is corrupt (a complete copy is needed)"
                : $"the CRC-32 and size trailer of member {_members} does not match its data: the file is corrupt");
        }

        _file.Position = window.Start + at + 8;
        if (_file.Position == _view.FileLength)
        {
            _done = true;
            return;
        }

        StartMember(first: false);
    }

    private bool ReadFully(Span<byte> buffer) => _file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;

    private void Skip(int count)
    {
        if (_file.Position + count > _file.Length)
        {
            throw Cut();
        }

        _file.Position += count;
    }

    private void SkipZeroTerminated()
    {
        int b;
        while ((b = _file.ReadByte()) > 0)
        {
        }

        if (b < 0)
        {
            throw Cut();
        }
    }

    private InvalidDataException Cut() => new($"the file ends inside the header of member {_members}: it was cut short");

    /// <summary>A view of the file from a position on, handed out in chunks of at most <see cref="ChunkSize"/> bytes.</summary>
    private sealed class ChunkView(Stream file) : Files.ForwardReadStream
    {
        private readonly byte[] _last = new byte[ChunkSize + 8];

        public long FileLength { get; } = file.Length;

        public long LastChunkStart { get; private set; }

        public bool HitEnd { get; private set; }

        private int _lastLength;

        public void StartAt(long position)
        {
            file.Position = position;
            LastChunkStart = position;
            _lastLength = 0;
            HitEnd = false;
        }

        public override int Read(Span<byte> buffer)
        {
            var start = file.Position;
            var read = file.Read(buffer[..Math.Min(buffer.Length, ChunkSize)]);
            if (read == 0)
            {
                HitEnd = true;
                return 0;
            }

            LastChunkStart = start;
            _lastLength = read;
            buffer[..read].CopyTo(_last);
            return read;
        }

        /// <summary>The last chunk handed out, followed by up to <paramref name="extra"/> bytes of the file after it.</summary>
        public (byte[] Bytes, int Length, long Start) LastChunkWithFollowing(int extra)
        {
            file.Position = LastChunkStart + _lastLength;
            var more = file.ReadAtLeast(_last.AsSpan(_lastLength, extra), extra, throwOnEndOfStream: false);
            return (_last, _lastLength + more, LastChunkStart);
        }
    }
}
