using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Csv;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>The CSV source reads ahead on a thread of its own; what the caller sees is what a plain reading gives.</summary>
public sealed class CsvRecordSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mm-csvsource-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AGzipFileCutShort_GivesEveryRecordReadBeforeTheDamage_ThenTheErrorNamingTheFile()
    {
        // Given a gzip CSV of many batches' worth of records, cut short in the middle
        var text = new StringBuilder("a,b,c\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(i).Append(",value ").Append(i * 7).Append(",\"quoted, ").Append(i).Append("\"\n");
        }

        using var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var path = Path.Combine(_dir, "cut.csv.gz");
        File.WriteAllBytes(path, bytes.ToArray()[..(int)(bytes.Length / 2)]);

        // When a plain reader and the source read it
        var plain = new List<string>();
        using (var file = File.OpenRead(path))
        using (var reader = CsvReader.Open(file, gzip: true))
        {
            try
            {
                while (reader.Read())
                {
                    plain.Add(reader.GetString(0));
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
            }
        }

        var read = new List<string>();
        var error = Should.Throw<UserInputException>(() =>
        {
            using var source = new CsvRecordSource(path);
            while (source.Read())
            {
                read.Add(new string(source[0]));
            }
        });

        // Then the source gave the same records, in order, before the error
        plain.Count.ShouldBeGreaterThan(1_000);
        read.ShouldBe(plain.Skip(1).ToList());
        error.Message.ShouldStartWith("cut.csv.gz: is not a complete, valid gzip file");
    }

    [Fact]
    public void APlainFileReadToItsEnd_IsFingerprintedByTheSameReading_WithTheSha256OfEveryByte()
    {
        // Given a CSV of many buffers' worth, with a BOM, a quoted newline and blank lines after its last record
        var text = new StringBuilder("\uFEFFa,b\n");
        for (var i = 0; i < 30_000; i++)
        {
            text.Append(i).Append(i % 997 == 0 ? ",\"two\nlines\"\n" : ",plain\n");
        }

        text.Append("\n\n");
        var path = Path.Combine(_dir, "plain.csv");
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        // When the source reads it to its end, fingerprinting, and another reads it without
        using var source = new CsvRecordSource(path, fingerprint: true);
        var records = 0;
        while (source.Read())
        {
            records++;
        }

        using var unhashed = new CsvRecordSource(path);
        while (unhashed.Read())
        {
        }

        // Then its fingerprint is the SHA-256 of the file's bytes, and a source not asked to fingerprint has none
        records.ShouldBe(30_000);
        source.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        unhashed.Sha256.ShouldBeNull();
    }
}
