using System.Security.Cryptography;
using ModelMeter.Import.Files;

namespace ModelMeter.Import.Tests.Files;

public sealed class Sha256ReadStreamTests
{
    [Fact]
    public void Finish_AfterAReaderStoppedPartWay_GivesTheDigestOfTheWholeStream()
    {
        // Given 300,000 bytes, read through the view only in part
        var bytes = new byte[300_000];
        new Random(9).NextBytes(bytes);
        using var view = new Sha256ReadStream(new MemoryStream(bytes));
        var part = new byte[70_001];
        view.ReadExactly(part);

        // When it is finished
        var sha256 = view.Finish();

        // Then the digest is all the bytes', the bytes read were the stream's, and the view reads no more
        sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        part.ShouldBe(bytes[..70_001]);
        view.Finish().ShouldBe(sha256);
        Should.Throw<InvalidOperationException>(() => view.ReadByte());
    }
}
