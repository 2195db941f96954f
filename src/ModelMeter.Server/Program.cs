using ModelMeter.Server;

// `dotnet run --project src/ModelMeter.Server` (development, and the host WebApplicationFactory starts in tests);
// users start the same server with `modelmeter serve`.
var app = ModelMeterServer.Create(args);
await app.RunAsync().ConfigureAwait(false);
