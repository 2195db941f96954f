using System.Collections.Frozen;

namespace ModelMeter.Import.Native;

/// <summary>
/// The FOCUS ServiceCategory of a provider's service, for the services ML teams use most. Providers' own FOCUS exports
/// carry a category per service; their native exports do not, so the mappers look the service up here. A service not
/// listed is <c>Other</c>, which FOCUS allows; the lists are in the mapping documents (docs/mapping-*.md).
/// </summary>
internal static class ServiceCategories
{
    public const string Other = "Other";

    /// <summary>AWS, by <c>line_item_product_code</c>.</summary>
    public static readonly FrozenDictionary<string, string> Aws = Table(
        ("Compute", ["AmazonEC2", "AWSLambda", "AmazonEKS", "AmazonECS", "AmazonECR", "AWSBatch", "AmazonLightsail", "AmazonAppStream", "AWSOutposts", "AmazonWorkSpaces"]),
        ("Storage", ["AmazonS3", "AmazonEFS", "AmazonFSx", "AmazonS3GlacierDeepArchive", "AmazonGlacier", "AWSBackup", "AWSStorageGateway", "AmazonEBS"]),
        ("Networking", ["AWSDataTransfer", "AmazonVPC", "AmazonCloudFront", "AmazonRoute53", "AWSDirectConnect", "AWSELB", "AWSGlobalAccelerator", "AWSTransitGateway"]),
        ("Databases", ["AmazonRDS", "AmazonDynamoDB", "AmazonElastiCache", "AmazonRedshift", "AmazonDocDB", "AmazonNeptune", "AmazonMemoryDB", "AmazonTimestream", "AmazonKeyspaces"]),
        ("AI and Machine Learning", ["AmazonSageMaker", "AmazonBedrock", "AmazonRekognition", "AmazonComprehend", "AmazonTextract", "AmazonTranscribe", "AmazonPolly", "AmazonTranslate", "AmazonLex", "AmazonKendra", "AmazonPersonalize", "AmazonForecast"]),
        ("Analytics", ["AmazonAthena", "AWSGlue", "AmazonKinesis", "AmazonKinesisFirehose", "AmazonES", "AmazonOpenSearchService", "AmazonEMR", "AmazonMSK", "AmazonQuickSight"]),
        ("Management and Governance", ["AmazonCloudWatch", "AWSCloudTrail", "AWSConfig", "AWSSupportBusiness", "AWSSupportEnterprise", "AWSSupportDeveloper", "AWSCostExplorer", "AWSSystemsManager", "AWSCloudFormation"]),
        ("Security", ["AWSSecretsManager", "awskms", "AmazonGuardDuty", "AWSSecurityHub", "AWSShield", "awswaf", "AmazonInspector", "AmazonMacie"]),
        ("Identity", ["AWSCognito", "AmazonCognito", "AWSDirectoryService"]),
        ("Integration", ["AWSQueueService", "AmazonSNS", "AmazonSQS", "AWSEvents", "AmazonEventBridge", "AmazonApiGateway", "AmazonStates", "AmazonMQ"]),
        ("Developer Tools", ["AWSCodeBuild", "AWSCodePipeline", "AWSCodeCommit", "AWSCodeArtifact", "AWSCloudShell"]));

    /// <summary>Google Cloud, by <c>service.description</c>.</summary>
    public static readonly FrozenDictionary<string, string> Google = Table(
        ("Compute", ["Compute Engine", "Kubernetes Engine", "Cloud Run", "Cloud Functions", "App Engine", "Batch", "Artifact Registry", "Container Registry Vulnerability Scanning"]),
        ("Storage", ["Cloud Storage", "Filestore", "Persistent Disk", "Backup and DR Service"]),
        ("Networking", ["Networking", "Cloud CDN", "Cloud DNS", "Cloud Load Balancing", "Cloud NAT", "Network Intelligence Center", "Cloud Interconnect", "Cloud VPN"]),
        ("Databases", ["Cloud SQL", "Cloud Spanner", "Cloud Bigtable", "Firestore", "Cloud Firestore", "Cloud Memorystore for Redis", "Memorystore for Redis", "AlloyDB"]),
        ("AI and Machine Learning", ["Vertex AI", "Cloud AI Platform", "AI Platform", "Gemini API", "Generative Language API", "Cloud Vision API", "Cloud Natural Language API", "Cloud Speech API", "Cloud Translation API", "Document AI", "Cloud TPU"]),
        ("Analytics", ["BigQuery", "BigQuery Storage API", "BigQuery Reservation API", "Dataflow", "Dataproc", "Cloud Pub/Sub", "Pub/Sub", "Cloud Composer", "Looker", "Data Catalog"]),
        ("Management and Governance", ["Cloud Logging", "Cloud Monitoring", "Stackdriver Logging", "Stackdriver Monitoring", "Support", "Cloud Build", "Cloud Scheduler"]),
        ("Security", ["Secret Manager", "Cloud Key Management Service (KMS)", "Security Command Center", "Cloud Armor"]),
        ("Identity", ["Identity Platform", "Cloud Identity"]));

    /// <summary>Azure, by <c>MeterCategory</c>.</summary>
    public static readonly FrozenDictionary<string, string> Azure = Table(
        ("Compute", ["Virtual Machines", "Virtual Machines Licenses", "Azure Kubernetes Service", "Container Instances", "Container Registry", "Azure App Service", "Functions", "Cloud Services", "Batch", "Azure Container Apps", "Azure Spring Apps"]),
        ("Storage", ["Storage", "Azure NetApp Files", "Backup", "Azure Data Lake Storage"]),
        ("Networking", ["Bandwidth", "Virtual Network", "Load Balancer", "Application Gateway", "Azure Front Door Service", "Content Delivery Network", "VPN Gateway", "ExpressRoute", "Azure DNS", "Network Watcher", "Azure Firewall", "NAT Gateway", "IP Addresses"]),
        ("Databases", ["SQL Database", "Azure Cosmos DB", "Azure Database for PostgreSQL", "Azure Database for MySQL", "Redis Cache", "Azure Cache for Redis", "SQL Managed Instance", "Azure Synapse Analytics"]),
        ("AI and Machine Learning", ["Azure Machine Learning", "Machine Learning Studio", "Cognitive Services", "Azure OpenAI", "Azure AI services", "Foundry Models", "Azure Cognitive Search", "Azure AI Search"]),
        ("Analytics", ["Azure Databricks", "HDInsight", "Azure Data Factory", "Azure Data Factory v2", "Data Factory", "Event Hubs", "Stream Analytics", "Azure Data Explorer", "Power BI Embedded", "Microsoft Fabric"]),
        ("Management and Governance", ["Log Analytics", "Azure Monitor", "Insight and Analytics", "Application Insights", "Azure Site Recovery", "Automation", "Azure Policy", "Advisor"]),
        ("Security", ["Key Vault", "Microsoft Defender for Cloud", "Security Center", "Azure Sentinel", "Microsoft Sentinel", "Azure DDOS Protection"]),
        ("Identity", ["Microsoft Entra ID", "Azure Active Directory", "Azure Active Directory B2C", "Microsoft Entra External ID"]),
        ("Integration", ["Service Bus", "Logic Apps", "API Management", "Event Grid"]),
        ("Developer Tools", ["Azure DevOps", "Visual Studio Subscription", "Azure Lab Services"]));

    /// <summary>The category of a service, or <see cref="Other"/>.</summary>
    public static string Of(FrozenDictionary<string, string> table, string? service) =>
        service is not null && table.TryGetValue(service, out var category) ? category : Other;

    private static FrozenDictionary<string, string> Table(params (string Category, string[] Services)[] categories) =>
        categories.SelectMany(c => c.Services.Select(s => (Service: s, c.Category)))
            .ToFrozenDictionary(x => x.Service, x => x.Category, StringComparer.OrdinalIgnoreCase);
}
