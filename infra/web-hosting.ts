import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface WebHostingProps {
  /** The built widget (web/widget/dist) and tablet app (web/tablet/dist). */
  widgetDir: string;
  tabletDir: string;
  /** The widget's demo pages, by file name, served beside the script. */
  widgetPages: Record<string, string>;
  /** Shelters' sites that embed the widget and so read /auth/config across origins. */
  allowedOrigins: readonly string[];
  /**
   * The HTTP API's host: its own domain where the county has one (the execute-api address is then off), else
   * its execute-api host. Its routes are served from the same origin as the pages.
   */
  apiDomain: string;
  /** First path segments of the API's routes, each becoming a CloudFront behaviour to the API. */
  apiPathPrefixes: readonly string[];
  /** Issue 18: the WAF web ACL (scope CLOUDFRONT, in us-east-1) in front: the county's or the edge stack's. */
  webAclArn: string;
  /**
   * Issue 18: the origins of the identity provider the pages that sign in (the tablet app and the widget's
   * frame, authorization code + PKCE in the browser) call with `fetch`: the issuer's (OIDC discovery and the
   * JWKS live under the issuer URL) and the hosted sign-in domain's (token and revocation endpoints). Their
   * CSP `connect-src` names these and nothing else besides 'self'.
   */
  signInOrigins: readonly string[];
  /** The county's own host name and its ACM certificate; without them, CloudFront's default name. */
  domain?: { name: string; certificateArn: string };
}

/**
 * CSP: scripts, connections, workers and the manifest from this origin only. Inline styles are allowed
 * because Web Chat and Adaptive Cards set them; no inline script anywhere. No page may be framed, but the
 * widget's frame page (below). Issue 18: the pages that sign in may also connect to the identity provider
 * (`connect`), every other response keeps `connect-src 'self'`.
 */
const contentSecurityPolicy = (frameAncestors: string, connect: readonly string[] = []) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connect].join(' '),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
const CONTENT_SECURITY_POLICY = contentSecurityPolicy("'none'");

/** Issue 18: the widget's UI and token live in this page, in an iframe on the shelters' pages. */
const WIDGET_FRAME_PATH = '/widget/frame.html';
/** Issue 18: the tablet app, which signs in itself (its page and its service worker). */
const TABLET_PATH = '/tablet/*';

/**
 * Directory addresses (`/tablet/`) are their index.html, as the dev server serves them; the bare names people
 * type are sent to the page they mean.
 */
const ROUTE_PAGES = `var MOVED = { '/': '/tablet/', '/tablet': '/tablet/', '/widget': '/widget/demo.html', '/widget/': '/widget/demo.html' };
function handler(event) {
  var request = event.request;
  var target = MOVED[request.uri];
  if (target) return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: target } } };
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

/**
 * Issue 9: the widget and the tablet app on S3 behind CloudFront, private to CloudFront through origin
 * access control, with the API on the same origin (so the pages' CSP says 'self' and no CORS is needed for
 * them), security headers on every response, and access logs.
 */
export class WebHosting extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // CloudFront standard logging writes with an ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      // Only built files live here; a rebuild restores them, so tearing the stack down empties and removes it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const siteOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const securityHeaders = {
      contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    };
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'CSP, HSTS, no referrer, no sniffing, no framing',
      securityHeadersBehavior: securityHeaders,
    });
    // Issue 18: the widget's frame page may be framed by the deployment's own demo pages and the shelters'
    // sites that embed the widget (context allowedOrigins), and by nothing else. CSP frame-ancestors says
    // so; X-Frame-Options cannot list origins, so it is left off this one page.
    // It signs in with code + PKCE, so it may also connect to the identity provider (props.signInOrigins).
    const { frameOptions: _noFraming, ...frameableHeaders } = securityHeaders;
    const widgetFrameHeaders = new ResponseHeadersPolicy(this, 'WidgetFrameHeaders', {
      comment: 'Security headers; framing only by this site and the shelters that embed the widget',
      securityHeadersBehavior: {
        ...frameableHeaders,
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(
            ["'self'", ...props.allowedOrigins].join(' '),
            props.signInOrigins,
          ),
          override: true,
        },
      },
    });
    // Issue 18: the tablet app trades its code and refreshes its tokens at the identity provider itself: the
    // same headers as every page, with the provider added to connect-src for /tablet/* only.
    const tabletHeaders = new ResponseHeadersPolicy(this, 'TabletHeaders', {
      comment: 'CSP (self and the identity provider), HSTS, no referrer, no sniffing, no framing',
      securityHeadersBehavior: {
        ...securityHeaders,
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy("'none'", props.signInOrigins),
          override: true,
        },
      },
    });

    const api = new HttpOrigin(props.apiDomain);
    const apiBehavior = {
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Everything but Host: API Gateway needs its own host name, and the handlers the Authorization header.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };

    const routePages = [
      {
        eventType: FunctionEventType.VIEWER_REQUEST,
        function: new EdgeFunction(this, 'DirectoryIndex', {
          code: FunctionCode.fromInline(ROUTE_PAGES),
          comment: 'Serves /tablet/ as /tablet/index.html; sends / and bare folder names to their page',
        }),
      },
    ];
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Screening assistant: widget, tablet app and API',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: routePages,
      },
      additionalBehaviors: {
        [WIDGET_FRAME_PATH]: {
          origin: siteOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          responseHeadersPolicy: widgetFrameHeaders,
        },
        // As the default behaviour (`/tablet/` still served as its index.html), but its own CSP.
        [TABLET_PATH]: {
          origin: siteOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          responseHeadersPolicy: tabletHeaders,
          functionAssociations: routePages,
        },
        ...Object.fromEntries(props.apiPathPrefixes.map((prefix) => [`/${prefix}*`, apiBehavior])),
        // A shelter's own page with the widget reads the sign-in settings from here, across origins.
        ...(props.allowedOrigins.length > 0
          ? {
              '/auth/*': {
                origin: siteOrigin,
                viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
                responseHeadersPolicy: new ResponseHeadersPolicy(this, 'SignInSettingsHeaders', {
                  comment: 'Security headers, and CORS for the shelters that embed the widget',
                  securityHeadersBehavior: securityHeaders,
                  corsBehavior: {
                    accessControlAllowOrigins: [...props.allowedOrigins],
                    accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
                    accessControlAllowHeaders: ['*'],
                    accessControlAllowCredentials: false,
                    originOverride: true,
                  },
                }),
              },
            }
          : {}),
      },
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
    });

    for (const bucket of [logs, this.bucket]) {
      Validations.of(bucket).acknowledge(
        {
          id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS',
          reason:
            'Holds the public app files or the CDN/S3 access logs, never case data; CloudFront standard logs cannot be written to SSE-KMS buckets.',
        },
        {
          id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
          reason:
            'Rebuilt from the repository on every deployment (site) or kept 90 days for investigation (logs).',
        },
      );
    }
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-CFR1',
        reason:
          'Interviewers travel with their tablets; a geographic block would lock out staff, not attackers.',
      },
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions::AwsSolutions-CFR4',
              reason:
                'Without a custom domain CloudFront serves its default certificate, which allows TLSv1; set webDomainName and webCertificateArn for TLSv1.2_2021.',
            },
          ]),
    );

    const distribution = this.distribution;
    new BucketDeployment(this, 'Widget', {
      sources: [
        Source.asset(props.widgetDir),
        ...Object.entries(props.widgetPages).map(([name, html]) => Source.data(name, html)),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'widget/',
      distribution,
      distributionPaths: ['/widget/*'],
      // Shelters' pages load the script on every visit: revalidated each time, so a deploy reaches them at once.
      cacheControl: [CacheControl.noCache()],
    });
    new BucketDeployment(this, 'Tablet', {
      sources: [Source.asset(props.tabletDir)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'tablet/',
      distribution,
      distributionPaths: ['/tablet/*'],
      // The service worker checks for a new version on every visit; it must never be served stale.
      cacheControl: [CacheControl.noCache()],
    });
  }

  /** The finding CDK's deployment helper raises for writing into this bucket, as cdk-nag names it. */
  get siteWriteFinding(): string {
    const logicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    return `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`;
  }

  /**
   * Issue 18: publishes the OpenID provider and the app client the pages sign in with (GET /auth/config,
   * `{ issuer, clientId }`, what the tablet app, the widget's frame and the chat page read), once the client
   * exists. The pages read everything else (authorization, token and revocation endpoints, keys) from the
   * issuer's discovery document. Both values are tokens at synth time: Source.jsonData writes them as resolved
   * at deployment.
   */
  publishSignIn(settings: { issuer: string; clientId: string }): void {
    new BucketDeployment(this, 'AuthConfig', {
      sources: [Source.jsonData('config', { issuer: settings.issuer, clientId: settings.clientId })],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'auth/',
      contentType: 'application/json',
      distribution: this.distribution,
      distributionPaths: ['/auth/config'],
    });
  }
}
