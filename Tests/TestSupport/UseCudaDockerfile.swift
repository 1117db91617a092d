extension TestHosts {
    /// A Dockerfile that installs the CUDA wheels only when `USE_CUDA` is true.
    static let useCuda = """
        FROM python:3.11
        ARG USE_CUDA=false
        ARG TORCH=2.11.0
        # The CUDA wheels only when asked for.
        RUN if [ "$USE_CUDA" = "true" ]; then \\
              pip install torch==$TORCH --index-url https://download.pytorch.org/whl/cu130; \\
            else \\
              pip install torch==2.4.0 --index-url https://download.pytorch.org/whl/cu121; \\
            fi
        """
}
