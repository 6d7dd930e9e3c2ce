# One Dockerfile for the four services: `docker build --target ingest .` (or signer, dispatcher, bounceprocessor);
# docker-compose.yml builds each target. The build stage restores the whole solution once and publishes every
# service, so the four images share that work.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY . .
RUN dotnet restore Pipeline.sln
# Directory.Build.props sets UseArtifactsOutput, so the output folder is named explicitly with -o
RUN dotnet publish src/Ingest/Ingest.csproj -c Release --no-restore -o /app/ingest \
 && dotnet publish src/Signer/Signer.csproj -c Release --no-restore -o /app/signer \
 && dotnet publish src/Dispatcher/Dispatcher.csproj -c Release --no-restore -o /app/dispatcher \
 && dotnet publish src/BounceProcessor/BounceProcessor.csproj -c Release --no-restore -o /app/bounceprocessor

# Shared runtime settings. /app/data (spool, accounting logs under data/acct) is created here, owned by the
# image's non-root user, so a named volume mounted there starts with the right owner.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ENV PIPELINE_CONFIG=/config/pipeline.json \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /app
RUN mkdir -p /app/data/acct && chown -R "$APP_UID" /app/data
VOLUME ["/app/data"]
USER $APP_UID

# Each service's HTTP listener comes from the configuration file; in a container it must listen on every interface.
FROM runtime AS ingest
COPY --from=build /app/ingest .
ENV Ingest__Http__Listen=0.0.0.0:8080
EXPOSE 2525 8080
ENTRYPOINT ["dotnet", "Ingest.dll"]

FROM runtime AS signer
COPY --from=build /app/signer .
ENV Signer__Http__Listen=0.0.0.0:8083
EXPOSE 8083
ENTRYPOINT ["dotnet", "Signer.dll"]

FROM runtime AS dispatcher
COPY --from=build /app/dispatcher .
ENV Dispatcher__Http__Listen=0.0.0.0:8081
EXPOSE 8081
ENTRYPOINT ["dotnet", "Dispatcher.dll"]

FROM runtime AS bounceprocessor
COPY --from=build /app/bounceprocessor .
ENV BounceProcessor__Http__Listen=0.0.0.0:8082
EXPOSE 8082
ENTRYPOINT ["dotnet", "BounceProcessor.dll"]
