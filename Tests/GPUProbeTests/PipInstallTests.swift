import Testing

@testable import GPUProbe
@testable import TestSupport

/// Package installs read from command words: every way the guides and Dockerfiles call pip,
/// the requirement forms, and where the wheels come from.
@Suite struct PipInstallTests {
    static func parse(_ command: String, _ environment: [String: String] = [:]) -> PipInstall? {
        let words = ShellScript.commands(command, variables: [:]).first?.words ?? []
        return PipInstall.parse(CommandWords.effective(words), environment: environment)
    }

    @Test(arguments: [
        (command: "pip install torch==2.4.0", tool: "pip"),
        (command: "pip3 install torch==2.4.0", tool: "pip3"),
        (command: "pip3.11 --no-cache-dir install torch==2.4.0", tool: "pip3.11"),
        (command: "/opt/conda/bin/pip install -U torch==2.4.0", tool: "pip"),
        (command: "python -m pip install torch==2.4.0", tool: "python -m pip"),
        (command: "python3.11 -u -m pip install torch==2.4.0", tool: "python3.11 -m pip"),
        (command: "python3 -mpip install torch==2.4.0", tool: "python3 -m pip"),
        (command: "uv pip install --system torch==2.4.0", tool: "uv pip"),
        (command: "uv --no-cache pip install torch==2.4.0", tool: "uv pip"),
        (command: "conda run -n env pip install torch==2.4.0", tool: "conda run pip"),
        (
            command:
                "/opt/conda/bin/conda run --no-capture-output -n env python -m pip install torch==2.4.0",
            tool: "conda run python -m pip"
        ),
        (command: "sudo -E -u root pip3 install torch==2.4.0", tool: "pip3"),
        (command: "DEBIAN_FRONTEND=noninteractive env -u X pip install torch==2.4.0", tool: "pip"),
    ])
    func recognisesTheInstaller(command: String, tool: String) throws {
        let install = try #require(Self.parse(command))
        #expect(install.tool == tool)
        #expect(install.requirement("torch")?.pinned == "2.4.0")
    }

    @Test(arguments: [
        "pip download torch==2.4.0", "pipx install torch", "python train.py",
        "python -m venv /venv", "uv sync", "pip-compile requirements.in", "conda install pytorch",
        "command -v pip",
    ])
    func ignoresOtherCommands(command: String) {
        #expect(Self.parse(command) == nil)
    }

    @Test func readsTheGuidesJupyterInstall() throws {
        // 安装 Jupyter 及插件, verbatim.
        let install = try #require(
            Self.parse(
                "/opt/conda/bin/conda run -n jupyter_env pip install --no-cache-dir -i "
                    + "https://pypi.tuna.tsinghua.edu.cn/simple --timeout=300 \\\n    jupyterlab "
                    + "notebook jupyter_server jupyter_http_over_ws jupyter-ai[all]"
            )
        )
        #expect(install.indexURL?.text == "https://pypi.tuna.tsinghua.edu.cn/simple")
        #expect(
            install.requirements.map(\.name) == [
                "jupyterlab", "notebook", "jupyter-server", "jupyter-http-over-ws", "jupyter-ai",
            ]
        )
        #expect(install.requirement("torch") == nil)
    }

    @Test func readsIndexesAndLinks() throws {
        let install = try #require(
            Self.parse(
                "pip install torch -i https://mirror/simple --extra-index-url=https://download.pytorch.org/whl/cu121 "
                    + "-f https://download.pytorch.org/whl/torch_stable.html --find-links=/wheels --no-index"
            )
        )
        #expect(install.indexURL?.text == "https://mirror/simple")
        #expect(install.extraIndexURLs.map(\.text) == ["https://download.pytorch.org/whl/cu121"])
        #expect(
            install.findLinks.map(\.text) == [
                "https://download.pytorch.org/whl/torch_stable.html", "/wheels",
            ]
        )
        #expect(install.noIndex)
        let uv = try #require(
            Self.parse(
                "uv pip install torch --index pytorch=https://x/whl/cu124 --torch-backend cu126"
            )
        )
        #expect(uv.extraIndexURLs.map(\.text) == ["https://x/whl/cu124"])
        #expect(uv.torchBackend == "cu126")
    }

    @Test func environmentSuppliesWhatTheCommandLineDoesNot() throws {
        let environment = [
            "PIP_INDEX_URL": "https://download.pytorch.org/whl/cu118",
            "PIP_EXTRA_INDEX_URL": "https://a https://b", "UV_TORCH_BACKEND": "cu126",
        ]
        let pip = try #require(Self.parse("pip install torch", environment))
        #expect(pip.indexURL?.text == "https://download.pytorch.org/whl/cu118")
        #expect(pip.extraIndexURLs.map(\.text) == ["https://a", "https://b"])
        #expect(pip.torchBackend == nil)
        let explicit = try #require(Self.parse("pip install torch -i https://c", environment))
        #expect(explicit.indexURL?.text == "https://c")
        #expect(
            try #require(Self.parse("uv pip install torch", environment)).torchBackend == "cu126"
        )
    }

    @Test(arguments: [
        (word: "torch==2.4.0+cu124", name: "torch", pinned: "2.4.0+cu124", local: "cu124"),
        (word: "torch === 2.4.0", name: "torch", pinned: "2.4.0", local: nil),
        (word: "Torch[opt-einsum]==2.4.1", name: "torch", pinned: "2.4.1", local: nil),
        (word: "torch>=2.0", name: "torch", pinned: nil, local: nil),
        (word: "torch==2.4.*", name: "torch", pinned: nil, local: nil),
        (word: "torch==2.4.0,!=2.4.1", name: "torch", pinned: nil, local: nil),
        (word: "torch", name: "torch", pinned: nil, local: nil),
        (word: "torch==2.4.0; python_version>'3.8'", name: "torch", pinned: "2.4.0", local: nil),
        (word: "Torch_Vision==0.19.0", name: "torch-vision", pinned: "0.19.0", local: nil),
        (
            word:
                "https://download.pytorch.org/whl/cu121/torch-2.1.0%2Bcu121-cp310-cp310-linux_x86_64.whl",
            name: "torch", pinned: "2.1.0+cu121", local: "cu121"
        ),
        (
            word:
                "torch @ https://download.pytorch.org/whl/cu118/torch-2.0.1%2Bcu118-cp39-cp39-linux_x86_64.whl",
            name: "torch", pinned: "2.0.1+cu118", local: "cu118"
        ),
    ])
    func readsRequirements(word: String, name: String, pinned: String?, local: String?) throws {
        let requirement = try #require(PipRequirement(ScriptWord(text: word)))
        #expect(requirement.name == name)
        #expect(requirement.pinned == pinned)
        #expect(requirement.local == local)
    }

    @Test func wheelURLsNameTheirVariantFolder() throws {
        let plain = try #require(
            PipRequirement(
                ScriptWord(
                    text:
                        "https://download.pytorch.org/whl/cu124/torch-2.4.0-cp310-cp310-linux_x86_64.whl"
                )
            )
        )
        #expect(plain.urlVariant == "cu124")
        #expect(plain.local == nil)
    }

    @Test(arguments: [
        (url: "https://download.pytorch.org/whl/cu124", variant: "cu124"),
        (url: "https://download.pytorch.org/whl/cu124/", variant: "cu124"),
        (url: "https://mirrors.aliyun.com/pytorch-wheels/cu121", variant: "cu121"),
        (url: "https://download.pytorch.org/whl/rocm6.1", variant: "rocm6.1"),
        (url: "https://download.pytorch.org/whl/CPU", variant: "cpu"),
        (url: "https://pypi.tuna.tsinghua.edu.cn/simple", variant: nil),
        (url: "https://download.pytorch.org/whl/cu1240", variant: nil),
    ])
    func indexURLsNameTheirVariant(url: String, variant: String?) {
        #expect(TorchJudge.indexVariant(url) == variant)
    }

    @Test(arguments: [
        (
            url:
                "https://pytorch.org/get-started/previous-versions/#install-pytorch-using-pip-cu124",
            kind: TorchJudge.FindLinks.documentation(intended: "cu124")
        ),
        (url: "https://pytorch.org/get-started/locally/", kind: .documentation(intended: nil)),
        (url: "https://download.pytorch.org/whl/torch_stable.html", kind: .everyVariant),
        (
            url: "https://download.pytorch.org/whl/cu113/torch_stable.html",
            kind: .variantFolder("cu113")
        ),
        (url: "https://mirrors.aliyun.com/pytorch-wheels/cu121/", kind: .variantFolder("cu121")),
        (url: "/wheels", kind: .other),
    ])
    func findLinksAreClassified(url: String, kind: TorchJudge.FindLinks) {
        #expect(TorchJudge.classify(findLinks: url) == kind)
    }
}
