# CniSharp install-cni image: the native-AOT plugin binary, its entry-point symlinks,
# sample conflists, and scripts/install-cni.sh as the entrypoint.
#
#   docker build -t cnisharp .
#   docker run --rm -v /opt/cni/bin:/host/opt/cni/bin -v /etc/cni/net.d:/host/etc/cni/net.d cnisharp
#
# The binary is a static executable: it runs on the node whatever its glibc, so the build image
# is free to be the SDK's own. Build on the target platform:
#   docker buildx build --platform linux/amd64,linux/arm64 -t cnisharp .

# ---- build: .NET SDK 10 + the native-AOT toolchain prerequisites ---------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang binutils zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY src/ src/
ARG TARGETARCH
RUN case "${TARGETARCH:-$(dpkg --print-architecture)}" in \
        amd64) rid=linux-x64 ;; \
        arm64) rid=linux-arm64 ;; \
        *) echo "unsupported architecture: ${TARGETARCH}" >&2; exit 1 ;; \
    esac \
    && dotnet publish src/CniSharp/CniSharp.csproj -c Release -r "$rid" -o /publish \
    && mkdir -p /opt/cnisharp/bin \
    && install -m 0755 /publish/cnisharp /opt/cnisharp/bin/cnisharp \
    && for name in $(/publish/cnisharp --list-plugins); do \
           ln -s cnisharp "/opt/cnisharp/bin/$name"; \
       done

# ---- final: bash + coreutils for install-cni.sh, nothing else --------------------------------
FROM debian:bookworm-slim
COPY --from=build /opt/cnisharp/bin/ /opt/cnisharp/bin/
COPY conf/*.conflist /opt/cnisharp/conf/
COPY scripts/install-cni.sh /usr/local/bin/install-cni.sh
COPY LICENSE /usr/share/doc/cnisharp/LICENSE
RUN chmod 0755 /usr/local/bin/install-cni.sh
ENTRYPOINT ["/usr/local/bin/install-cni.sh"]
CMD ["--once"]
