using System.Globalization;
using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

/// <summary>An estimate of a spec: the expected case, the three scenarios when inputs have ranges, and the prices used.</summary>
public sealed record EstimateReport(
    EstimateSpec Spec,
    Estimate Estimate,
    ScenarioSet? Scenarios,
    IReadOnlyList<ICatalogEntry> PricesUsed,
    IReadOnlyList<EstimateInput> Defaults);

/// <summary>Turns a spec into a model's typed input, resolving instance types, GPUs and prices from the catalogue.</summary>
public static class EstimateRunner
{
    private static readonly Dictionary<string, string[]> AllowedInputs = new(StringComparer.Ordinal)
    {
        [TrainingModel.Kind] =
        [
            "parameters", "tokens", "flops", "gpu_hours", "instance", "gpu", "precision", "gpus", "mfu", "communication_overhead",
            "price_per_gpu_hour", "spot_price_per_gpu_hour", "commitment_price_per_gpu_hour", "bytes_per_parameter",
            "checkpoints_kept", "checkpoint_months", "checkpoint_storage", "storage_price_per_gb_month", "pricing",
        ],
        [InferenceModel.Kind] =
        [
            "instance", "price_per_hour", "instances", "rps_per_instance", "headroom", "overhead", "target_rps", "monthly_requests", "price_per_call",
        ],
        [LlmApiModel.Kind] =
        [
            "model", "input_price", "cached_input_price", "output_price", "requests_per_day", "input_tokens", "cached_input_tokens",
            "output_tokens", "days_per_month", "monthly_growth", "months",
        ],
        [HiddenCostsModel.Kind] =
        [
            "transfer_gb_per_month", "transfer_path", "transfer_price_per_gb", "storage_gb", "storage", "storage_price_per_gb_month",
            "put_requests_per_month", "get_requests_per_month", "put_price_per_1k", "get_price_per_1k", "compute_monthly", "monitoring_share", "labelled_items_per_month", "price_per_label", "months",
        ],
        [TcoModel.Kind] = ["compute_per_year", "managed_premium", "self_hosted_hours_per_week", "managed_hours_per_week", "engineer_annual_cost"],
        [EnvelopeModel.Kind] = ["instance", "price_per_hour", "instances", "hours", "storage_gb", "storage", "storage_price_per_gb_month", "months"],
    };

    public static IReadOnlyCollection<string> Kinds => AllowedInputs.Keys;

    public static IReadOnlyList<string> InputsOf(string kind) => AllowedInputs[kind];

    public static EstimateReport Run(EstimateSpec spec, PriceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        if (!AllowedInputs.TryGetValue(spec.Kind, out var allowed))
        {
            var near = NearMatches.For(spec.Kind, AllowedInputs.Keys);
            throw new UserInputException(
                $"{spec.SourceName}: unknown kind '{spec.Kind}'.{(near.Count > 0 ? $" Did you mean '{near[0]}'?" : string.Empty)} Kinds: {string.Join(", ", AllowedInputs.Keys)}.");
        }

        foreach (var name in spec.Inputs.Keys.Where(n => !allowed.Contains(n)))
        {
            var near = NearMatches.For(name, allowed);
            throw new UserInputException(
                $"{spec.Where(name)}: unknown input '{name}' for kind '{spec.Kind}'.{(near.Count > 0 ? $" Did you mean '{near[0]}'?" : string.Empty)} Inputs of {spec.Kind}: {string.Join(", ", allowed)}.");
        }

        var expectedReader = new InputReader(spec, new Dictionary<string, decimal>(StringComparer.Ordinal));
        var estimate = Bind(spec, catalog, expectedReader);
        var ranges = spec.Ranges;
        ScenarioSet? scenarios = ranges.Count == 0
            ? null
            : Scenarios.Run(ranges, overrides => Bind(spec, catalog, new InputReader(spec, overrides)));
        return new EstimateReport(spec, estimate, scenarios, expectedReader.PricesUsed.Distinct().ToList(), expectedReader.Defaults);
    }

    private static Estimate Bind(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        try
        {
            return spec.Kind switch
            {
                TrainingModel.Kind => TrainingModel.Calculate(Training(spec, catalog, r), spec.Currency, spec.Name),
                InferenceModel.Kind => Inference(spec, catalog, r),
                LlmApiModel.Kind => Llm(spec, catalog, r),
                HiddenCostsModel.Kind => Hidden(spec, catalog, r),
                TcoModel.Kind => TcoModel.Calculate(
                    new TcoInput
                    {
                        ComputePerYear = r.Number("compute_per_year"),
                        ManagedPremium = r.Number("managed_premium"),
                        SelfHostedHoursPerWeek = r.Number("self_hosted_hours_per_week"),
                        ManagedHoursPerWeek = r.Number("managed_hours_per_week"),
                        EngineerAnnualCost = r.Number("engineer_annual_cost"),
                    },
                    spec.Currency,
                    spec.Name),
                _ => Envelope(spec, catalog, r),
            };
        }
        catch (UserInputException e) when (!e.Message.StartsWith(spec.SourceName, StringComparison.Ordinal))
        {
            throw new UserInputException($"{spec.SourceName}: {e.Message}", e);
        }
    }

    private static TrainingInput Training(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        InstancePricing pricing;
        GpuSpec gpu;
        int? defaultGpus = null;
        if (r.Text("instance") is { } instanceKey)
        {
            r.Forbid("price_per_gpu_hour", "instance");
            var instance = r.Use(catalog.Instance(instanceKey));
            CheckCurrency(spec, instance.Currency, instance.Key);
            gpu = r.Use(catalog.Gpu(instance.GpuKey));
            if (r.Text("gpu") is { } gpuKey && !string.Equals(gpuKey, instance.GpuKey, StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"{spec.Where("gpu")}: gpu '{gpuKey}' does not match instance '{instance.Key}', which has {instance.GpuKey}; drop one of them.");
            }

            pricing = new InstancePricing(
                instance.Key,
                instance.GpuCount,
                instance.OnDemandPerHour,
                r.OptionalNumber("spot_price_per_gpu_hour") is { } s ? s * instance.GpuCount : instance.Spot?.PerHour,
                r.OptionalNumber("commitment_price_per_gpu_hour") is { } c ? c * instance.GpuCount : instance.Commitment1y?.PerHour);
            defaultGpus = instance.GpuCount;
        }
        else
        {
            var gpuKey = r.Text("gpu") ?? throw new UserInputException($"{spec.SourceName}: training needs 'instance' (an instance type from the catalogue) or 'gpu' with 'price_per_gpu_hour'.");
            gpu = r.Use(catalog.Gpu(gpuKey));
            pricing = new InstancePricing(
                $"{gpu.Key} at a given price per GPU-hour",
                1,
                r.Number("price_per_gpu_hour"),
                r.OptionalNumber("spot_price_per_gpu_hour"),
                r.OptionalNumber("commitment_price_per_gpu_hour"));
        }

        var precision = r.Text("precision", "bf16");
        var gpus = defaultGpus is { } g ? r.Int("gpus", g) : r.Int("gpus");
        var parameters = r.OptionalNumber("parameters");
        var checkpointsKept = r.Int("checkpoints_kept", 1);
        return new TrainingInput
        {
            Parameters = parameters,
            Tokens = r.OptionalNumber("tokens"),
            Flops = r.OptionalNumber("flops"),
            GpuHours = r.OptionalNumber("gpu_hours"),
            GpuName = gpu.Key,
            Precision = precision,
            PeakTflops = gpu.PeakTflopsFor(precision),
            Gpus = gpus,
            Mfu = r.Number("mfu", 0.40m, "default: docs/prices.md calibration from Llama model cards gives 0.35–0.44"),
            CommunicationOverhead = r.Number("communication_overhead", 0m),
            Pricing = pricing,
            BytesPerParameter = r.Number("bytes_per_parameter", 14m, "default: bf16 weights 2 + fp32 master weights 4 + Adam moments 8"),
            CheckpointsKept = checkpointsKept,
            CheckpointMonths = r.Number("checkpoint_months", 1m),
            StoragePerGbMonth = parameters is not null && checkpointsKept > 0 ? StoragePrice(spec, catalog, r, "checkpoint_storage") : 0m,
            HeadlinePricing = r.Text("pricing", "on_demand"),
        };
    }

    private static Estimate Inference(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        var (name, hourly) = HourlyRate(spec, catalog, r);
        return InferenceModel.Calculate(
            new InferenceInput
            {
                InstanceName = name,
                HourlyPrice = hourly,
                Instances = r.OptionalInt("instances"),
                RpsPerInstance = r.Number("rps_per_instance"),
                Headroom = r.Number("headroom", 0m),
                Overhead = r.Number("overhead", 0m),
                TargetRps = r.OptionalNumber("target_rps"),
                MonthlyRequests = r.OptionalNumber("monthly_requests"),
                PricePerCall = r.OptionalNumber("price_per_call"),
            },
            spec.Currency,
            spec.Name);
    }

    private static Estimate Llm(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        string modelName;
        decimal input, output;
        decimal? cached;
        if (r.Text("model") is { } modelKey && r.OptionalNumber("input_price") is null)
        {
            var price = r.Use(catalog.Llm(modelKey));
            CheckCurrency(spec, price.Currency, price.Key);
            (modelName, input, cached, output) = (price.Key, price.InputPerMillion, price.CachedInputPerMillion, price.OutputPerMillion);
            cached = r.OptionalNumber("cached_input_price") ?? cached;
            output = r.OptionalNumber("output_price") ?? output;
        }
        else
        {
            modelName = r.Text("model") ?? "model at given prices";
            input = r.Number("input_price");
            cached = r.OptionalNumber("cached_input_price");
            output = r.Number("output_price");
        }

        return LlmApiModel.Calculate(
            new LlmApiInput
            {
                ModelName = modelName,
                InputPerMillion = input,
                CachedInputPerMillion = cached,
                OutputPerMillion = output,
                RequestsPerDay = r.Number("requests_per_day"),
                InputTokens = r.Number("input_tokens"),
                CachedInputTokens = r.Number("cached_input_tokens", 0m),
                OutputTokens = r.Number("output_tokens"),
                DaysPerMonth = r.Number("days_per_month", 30m),
                MonthlyGrowth = r.Number("monthly_growth", 0m),
                Months = r.Int("months", 12),
            },
            spec.Currency,
            spec.Name);
    }

    private static Estimate Hidden(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        string path = "given price";
        decimal perGb = 0;
        var both = false;
        var transferGb = r.Number("transfer_gb_per_month", 0m);
        if (r.OptionalNumber("transfer_price_per_gb") is { } given)
        {
            r.Forbid("transfer_path", "transfer_price_per_gb");
            perGb = given;
        }
        else if (r.Text("transfer_path") is { } key)
        {
            var transfer = r.Use(catalog.Transfer(key));
            CheckCurrency(spec, transfer.Currency, transfer.Key);
            (path, perGb, both) = (transfer.Key, transfer.PerGb, transfer.BothDirections);
        }
        else if (transferGb > 0)
        {
            throw new UserInputException($"{spec.Where("transfer_gb_per_month")}: give transfer_path (a catalogue key such as aws-cross-zone) or transfer_price_per_gb.");
        }

        var storageGb = r.Number("storage_gb", 0m);
        var storageTier = r.Text("storage") ?? "given price";
        var puts = r.Number("put_requests_per_month", 0m);
        var gets = r.Number("get_requests_per_month", 0m);
        decimal putPrice = 0, getPrice = 0;
        if (puts > 0 || gets > 0)
        {
            var givenPut = r.OptionalNumber("put_price_per_1k");
            var givenGet = r.OptionalNumber("get_price_per_1k");
            StoragePrice? tier = null;
            if (givenPut is null || givenGet is null)
            {
                tier = r.Use(catalog.Storage(r.Text("storage", "aws-s3-standard")));
                CheckCurrency(spec, tier.Currency, tier.Key);
            }

            putPrice = givenPut ?? tier!.PutPer1k
                ?? throw new UserInputException($"{spec.SourceName}: storage tier '{tier.Key}' has no request prices in the catalogue; give put_price_per_1k and get_price_per_1k.");
            getPrice = givenGet ?? tier!.GetPer1k
                ?? throw new UserInputException($"{spec.SourceName}: storage tier '{tier.Key}' has no request prices in the catalogue; give put_price_per_1k and get_price_per_1k.");
        }

        return HiddenCostsModel.Calculate(
            new HiddenCostsInput
            {
                TransferGbPerMonth = transferGb,
                TransferPath = path,
                TransferPerGb = perGb,
                TransferBothDirections = both,
                StorageGb = storageGb,
                StorageTier = storageTier,
                StoragePerGbMonth = storageGb > 0 ? StoragePrice(spec, catalog, r, "storage") : 0m,
                PutRequestsPerMonth = puts,
                PutPer1k = putPrice,
                GetRequestsPerMonth = gets,
                GetPer1k = getPrice,
                ComputeMonthly = r.Number("compute_monthly", 0m),
                MonitoringShare = r.Number("monitoring_share", 0m),
                LabelledItemsPerMonth = r.Number("labelled_items_per_month", 0m),
                PricePerLabel = r.Number("price_per_label", 0m),
                Months = r.Int("months", 12),
            },
            spec.Currency,
            spec.Name);
    }

    private static Estimate Envelope(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        var (name, hourly) = HourlyRate(spec, catalog, r);
        var storageGb = r.Number("storage_gb", 0m);
        return EnvelopeModel.Calculate(
            new EnvelopeInput
            {
                RateName = name,
                HourlyRate = hourly,
                Instances = r.Int("instances", 1),
                Hours = r.Number("hours"),
                StorageGb = storageGb,
                StoragePerGbMonth = storageGb > 0 ? StoragePrice(spec, catalog, r, "storage") : 0m,
                Months = r.Number("months", 1m),
            },
            spec.Currency,
            spec.Name);
    }

    private static (string Name, decimal Hourly) HourlyRate(EstimateSpec spec, PriceCatalog catalog, InputReader r)
    {
        if (r.Text("instance") is { } key)
        {
            r.Forbid("price_per_hour", "instance");
            var instance = r.Use(catalog.Instance(key));
            CheckCurrency(spec, instance.Currency, instance.Key);
            return (instance.Key, instance.OnDemandPerHour);
        }

        return ("given rate", r.OptionalNumber("price_per_hour")
            ?? throw new UserInputException($"{spec.SourceName}: give 'instance' (an instance type from the catalogue) or 'price_per_hour'."));
    }

    private static decimal StoragePrice(EstimateSpec spec, PriceCatalog catalog, InputReader r, string tierInput)
    {
        if (r.OptionalNumber("storage_price_per_gb_month") is { } given)
        {
            r.Forbid(tierInput, "storage_price_per_gb_month");
            return given;
        }

        var storage = r.Use(catalog.Storage(r.Text(tierInput, "aws-s3-standard")));
        CheckCurrency(spec, storage.Currency, storage.Key);
        return storage.PerGbMonth;
    }

    private static void CheckCurrency(EstimateSpec spec, string priceCurrency, string key)
    {
        if (!string.Equals(spec.Currency, priceCurrency, StringComparison.Ordinal))
        {
            throw new UserInputException(
                $"{spec.SourceName}: the spec is in {spec.Currency} but '{key}' is priced in {priceCurrency}; give the price in {spec.Currency} or override it under 'prices:' in modelmeter.yaml.");
        }
    }

    /// <summary>Reads a spec's inputs, taking the scenario's value for ranged inputs and recording defaults and prices used.</summary>
    private sealed class InputReader(EstimateSpec spec, IReadOnlyDictionary<string, decimal> scenario)
    {
        public List<ICatalogEntry> PricesUsed { get; } = [];

        public List<EstimateInput> Defaults { get; } = [];

        public T Use<T>(T entry)
            where T : ICatalogEntry
        {
            PricesUsed.Add(entry);
            return entry;
        }

        public void Forbid(string name, string because)
        {
            if (spec.Inputs.ContainsKey(name))
            {
                throw new UserInputException($"{spec.Where(name)}: give '{because}' or '{name}', not both.");
            }
        }

        public decimal? OptionalNumber(string name)
        {
            if (!spec.Inputs.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.Range is { } range)
            {
                return scenario.TryGetValue(name, out var chosen) ? chosen : range.Expected;
            }

            return value.Number ?? throw new UserInputException($"{spec.Where(name)}: input '{name}' must be a number (got '{value.Text}').");
        }

        public decimal Number(string name) =>
            OptionalNumber(name) ?? throw new UserInputException($"{spec.SourceName}: kind '{spec.Kind}' needs input '{name}'.");

        public decimal Number(string name, decimal fallback, string? why = null)
        {
            if (OptionalNumber(name) is { } v)
            {
                return v;
            }

            Defaults.Add(new EstimateInput(name, Fmt.Number(fallback), string.Empty, why ?? "default"));
            return fallback;
        }

        public int? OptionalInt(string name) => OptionalNumber(name) is { } v ? Whole(name, v) : null;

        public int Int(string name) => Whole(name, Number(name));

        public int Int(string name, int fallback) => Whole(name, Number(name, fallback));

        public string? Text(string name)
        {
            if (!spec.Inputs.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.Range is not null)
            {
                throw new UserInputException($"{spec.Where(name)}: input '{name}' is a name, not a number: it cannot have a range.");
            }

            return value.Text ?? value.Number?.ToString(CultureInfo.InvariantCulture);
        }

        public string Text(string name, string fallback)
        {
            if (Text(name) is { } v)
            {
                return v;
            }

            Defaults.Add(new EstimateInput(name, fallback, string.Empty, "default"));
            return fallback;
        }

        private int Whole(string name, decimal value) =>
            value == decimal.Truncate(value) && value is >= 0 and <= int.MaxValue
                ? (int)value
                : throw new UserInputException($"{spec.Where(name)}: input '{name}' must be a whole number (got {Fmt.Number(value)}).");
    }
}
