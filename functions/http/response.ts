import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiError } from './errors.ts';

const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...baseHeaders, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: ApiError): APIGatewayProxyStructuredResultV2 {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
  return jsonResponse(error.status, body, error.headers);
}

export const internalErrorResponse = (): APIGatewayProxyStructuredResultV2 =>
  jsonResponse(500, {
    error: {
      code: 'internal_error',
      message: 'Something went wrong on our side. Nothing was lost; try again.',
    },
  });

export const unavailableResponse = (): APIGatewayProxyStructuredResultV2 =>
  jsonResponse(
    503,
    { error: { code: 'temporarily_unavailable', message: 'The service is busy. Try again in a moment.' } },
    { 'retry-after': '1' },
  );
